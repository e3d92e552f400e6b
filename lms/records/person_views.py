"""A person's page for those who manage them: cohorts, progress, attempts, certificates and
the actions (new activation code, export, sign out everywhere, erase).

Why here: the page shows the facts records gathers (module states, pre/post, attendance),
and records already owns what is done to a person's data (export, erasure), so this is the
lowest package that may import everything the page needs. Certificates belong to
certification, which sits above records: it registers its section (`register_person_section`)
instead of being imported, as it registers its part of the export and the erasure.
"""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from lms.cohorts.access import managed_person_or_404
from lms.records.person import person_overview

bp = Blueprint("people", __name__, url_prefix="/organisations")


@bp.get("/<int:org_id>/people/<int:user_id>")
@login_required
def show(org_id: int, user_id: int):
    """One person of the organisation, for its coordinators and admins (others: 404)."""
    org, user = managed_person_or_404(current_user, org_id, user_id)
    return render_template("records/person.html", org=org, person=user,
                           overview=person_overview(user))
