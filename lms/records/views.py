"""Pages built from trainee records: the cohort's completion matrix and its CSV, a
person's data (export, erasure, their own download) and the audit log of an organisation."""
import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.accounts.models import Role
from lms.assessment.reports import track_quizzes
from lms.cohorts.access import cohort_or_404, enrolled_trainee_or_404, managed_person_or_404, organisation_or_404
from lms.core import audit
from lms.core.i18n import gettext as _
from lms.core.spreadsheet import spreadsheet_csv
from lms.extensions import db
from lms.learning.models import Module
from lms.records.audit_log import audit_rows
from lms.records.charts import cohort_charts
from lms.records.cohort_page import STATES, cohort_page
from lms.records.forms import EraseForm
from lms.records.matrix import build_matrix, matrix_csv_rows
from lms.records.module_detail import module_detail
from lms.records.privacy import erase_person, export_person

bp = Blueprint("records", __name__)


@bp.get("/cohorts/<int:cohort_id>")
@login_required
def cohort(cohort_id: int):
    """The summary of a cohort, then one page of the completion matrix (trainees by required
    modules, attendance, tests, RTL, practice), filtered by name, state and module."""
    item = cohort_or_404(current_user, cohort_id)
    page = cohort_page(item, request.args)
    return render_template("cohorts/show.html", cohort=item, page=page, track=page.track, modules=page.modules,
                           summary=page.summary, query=page.query, grid=page.grid,
                           charts=cohort_charts(page.summary, page.track, page.outline), states=STATES,
                           quizzes=track_quizzes(page.track, page.outline))


@bp.get("/cohorts/<int:cohort_id>/trainees/<int:user_id>/modules/<slug>")
@login_required
def trainee_module(cohort_id: int, user_id: int, slug: str):
    """One cell of the matrix opened: reading, attempts with scores, essays and their review."""
    item = cohort_or_404(current_user, cohort_id)
    trainee = enrolled_trainee_or_404(item, user_id)
    module = db.session.scalar(sa.select(Module).where(
        Module.slug == slug, Module.track_slug == item.track_slug, Module.retired_at.is_(None)))
    if module is None:
        abort(404)
    return render_template("cohorts/trainee_module.html", cohort=item, trainee=trainee,
                           detail=module_detail(trainee.id, module))


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
    org, user = managed_person_or_404(current_user, org_id, user_id)
    audit.person_action("person.exported", user.id, current_user.id, org.id)
    return _json_download(export_person(user), f"person-{user.id}.json")


@bp.get("/account/export.json")
@login_required
def own_export():
    """A person downloads everything held about them (the same file a coordinator gets)."""
    return _json_download(export_person(current_user), "my-data.json")


def _json_download(data: dict, filename: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


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
    erase_person(user, current_user.id)
    flash(_("The person's data was erased."), "success")
    return redirect(url_for("orgs.show", org_id=org.id))


@bp.get("/organisations/<int:org_id>/audit")
@login_required
def org_audit(org_id: int):
    """What staff did to the organisation's people, newest first (coordinators: their own)."""
    org = organisation_or_404(current_user, org_id)
    return _audit_page(org, org.id)


@bp.get("/audit")
@login_required
def all_audit():
    """Admins read the whole log, entries of no organisation included."""
    if current_user.role != Role.ADMIN:
        abort(404)
    return _audit_page(None, None)


def _audit_page(org, org_id: int | None):
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 100000))
    entries, older = audit.newest_entries(org_id, page)
    return render_template("records/audit.html", org=org, rows=audit_rows(entries), page=page,
                           older=older)
