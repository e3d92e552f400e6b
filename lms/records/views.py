"""Pages built from trainee records: the cohort's completion matrix and its CSV, and a
person's data (export, erasure)."""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.cohorts.access import cohort_or_404, managed_person_or_404
from lms.core.spreadsheet import spreadsheet_csv
from lms.records.forms import EraseForm
from lms.records.matrix import build_matrix, matrix_csv_rows
from lms.records.privacy import erase_person, export_person

bp = Blueprint("records", __name__)


@bp.get("/cohorts/<int:cohort_id>")
@login_required
def cohort(cohort_id: int):
    """The completion matrix: trainees by required modules, attendance, tests, RTL, practice."""
    item = cohort_or_404(current_user, cohort_id)
    return render_template("cohorts/show.html", matrix=build_matrix(item), cohort=item)


@bp.get("/cohorts/<int:cohort_id>/report.csv")
@login_required
def report_csv(cohort_id: int):
    """The matrix for a spreadsheet: `;`, a UTF-8 BOM, headers and states in the reader's language."""
    item = cohort_or_404(current_user, cohort_id)
    filename = f"cohort-{item.id}-report.csv"
    return Response(spreadsheet_csv(matrix_csv_rows(build_matrix(item))), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/organisations/<int:org_id>/people/<int:user_id>/export.json")
@login_required
def export(org_id: int, user_id: int):
    """Everything held about a person, as JSON."""
    _org, user = managed_person_or_404(current_user, org_id, user_id)
    body = json.dumps(export_person(user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="person-{user.id}.json"'})


@bp.route("/organisations/<int:org_id>/people/<int:user_id>/erase", methods=["GET", "POST"])
@login_required
def erase(org_id: int, user_id: int):
    """Anonymise a person, after a confirmation page; their scores keep counting in cohort
    statistics."""
    org, user = managed_person_or_404(current_user, org_id, user_id)
    if user.erased_at:
        abort(400)
    form = EraseForm()
    if not form.validate_on_submit():
        return render_template("records/erase.html", org=org, person=user,
                               form=form), 400 if form.errors else 200
    erase_person(user)
    flash(_("The person's data was erased."), "success")
    return redirect(url_for("orgs.show", org_id=org.id))
