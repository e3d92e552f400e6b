"""Reading a role-play: everyone sees the scenario and public briefs; staff see the secret
cards, the observer checklist and the debrief, so they can print and run it."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from lms.accounts.models import is_staff
from lms.content.models import active_or_404
from lms.roleplays.models import RolePlay

bp = Blueprint("roleplays", __name__, url_prefix="/roleplays")


@bp.get("/<slug>")
@login_required
def show(slug: str):
    """A role-play; secrets only for facilitators, coordinators and admins."""
    return render_template("roleplays/show.html", rp=active_or_404(RolePlay, slug),
                           staff=is_staff(current_user))
