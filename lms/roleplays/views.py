"""Reading a role-play: everyone sees the scenario and public briefs; staff see the secret
cards, the observer checklist and the debrief, so they can print and run it."""
import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from lms.cohorts.access import is_staff
from lms.extensions import db
from lms.roleplays.models import RolePlay

bp = Blueprint("roleplays", __name__, url_prefix="/roleplays")


@bp.get("/<slug>")
@login_required
def show(slug: str):
    """A role-play; secrets only for facilitators, coordinators and admins."""
    roleplay = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == slug,
                                                           RolePlay.retired_at.is_(None)))
    if roleplay is None:
        abort(404)
    return render_template("roleplays/show.html", rp=roleplay, staff=is_staff(current_user))
