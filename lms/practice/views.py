"""The trainee's RTL and field-practice log; facilitators review and sign off."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.cohorts.access import cohort_object_or_404, cohort_or_404, enrolled_trainee_or_404, is_enrolled
from lms.cohorts.models import Cohort
from lms.core.i18n import gettext as _
from lms.core.personal_data import personal_data_found
from lms.extensions import db
from lms.practice import rules
from lms.practice.forms import KIND_CHOICES, ActionPlanForm, EntryReturnForm, PlanReviewForm, PracticeForm
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.timeutil import local_today

bp = Blueprint("practice", __name__, url_prefix="/cohorts")


def _own_cohort_or_404(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not is_enrolled(cohort.id, current_user.id):
        abort(404)
    return cohort


def _plan(cohort_id: int, user_id: int, create: bool) -> ActionPlan | None:
    plan = db.session.scalar(sa.select(ActionPlan).where(
        ActionPlan.cohort_id == cohort_id, ActionPlan.user_id == user_id))
    if plan is None and create:
        plan = ActionPlan(cohort_id=cohort_id, user_id=user_id, state=ReviewState.DRAFT)
        db.session.add(plan)
    return plan


@bp.route("/<int:cohort_id>/rtl", methods=["GET", "POST"])
@login_required
def my_plan(cohort_id: int):
    """Write the follow-up action plan: activities, target, timeline, support needed."""
    cohort = _own_cohort_or_404(cohort_id)
    plan = _plan(cohort.id, current_user.id, create=False)
    form = ActionPlanForm(obj=plan)
    editable = plan is None or plan.state in (ReviewState.DRAFT, ReviewState.RETURNED)
    if request.method == "POST" and editable and form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        if submit and not (form.activities.data or "").strip():
            form.activities.errors.append(_("Write at least the activities before sending."))
        else:
            plan = plan or _plan(cohort.id, current_user.id, create=True)
            rules.save_plan(plan, form.data, submit)
            flash(_("Your RTL was sent to the facilitators.") if submit else _("Draft saved."), "success")
            return redirect(url_for(".my_plan", cohort_id=cohort.id))
    status = 400 if form.errors else 200
    return render_template("practice/plan.html", cohort=cohort, plan=plan, form=form,
                           editable=editable), status


@bp.route("/<int:cohort_id>/rtl/<int:user_id>", methods=["GET", "POST"])
@login_required
def review_plan(cohort_id: int, user_id: int):
    """A facilitator approves the RTL or returns it with a comment."""
    cohort = cohort_or_404(current_user, cohort_id)
    trainee = enrolled_trainee_or_404(cohort, user_id)
    plan = _plan(cohort.id, trainee.id, create=False)
    form = PlanReviewForm()
    if request.method == "POST":
        if plan is None or plan.state != ReviewState.SUBMITTED or not form.validate_on_submit():
            abort(400)
        approve = request.form.get("decision") == "approve"
        if not approve and not (form.comment.data or "").strip():
            form.comment.errors.append(_("Say what to change when you return an RTL."))
            return render_template("practice/plan_review.html", cohort=cohort, trainee=trainee,
                                   plan=plan, form=form), 400
        rules.review_plan(plan, approve, form.comment.data or "", current_user.id)
        flash(_("RTL approved.") if approve else _("RTL returned to the trainee."), "success")
        return redirect(url_for("records.cohort", cohort_id=cohort.id))
    return render_template("practice/plan_review.html", cohort=cohort, trainee=trainee, plan=plan, form=form)


@bp.route("/<int:cohort_id>/practice", methods=["GET", "POST"])
@login_required
def my_practice(cohort_id: int):
    """Log field-practice activities; warn before saving anything that looks personal."""
    cohort = _own_cohort_or_404(cohort_id)
    form, warnings = PracticeForm(), []
    if form.validate_on_submit():
        warnings = personal_data_found(form.description.data)
        if not warnings or form.no_personal_data.data:
            db.session.add(PracticeEntry(cohort_id=cohort.id, user_id=current_user.id,
                                         done_on=form.done_on.data, kind=form.kind.data,
                                         description=form.description.data.strip()))
            flash(_("Activity saved. Your mentor will sign it off."), "success")
            return redirect(url_for(".my_practice", cohort_id=cohort.id))
    entries = _entries(cohort.id, current_user.id)
    status = 400 if (form.errors or warnings) else 200
    return render_template("practice/log.html", cohort=cohort, form=form, entries=entries,
                           warnings=warnings, kinds=dict(KIND_CHOICES), action_form=FlaskForm()), status


def _entries(cohort_id: int, user_id: int) -> list[PracticeEntry]:
    return list(db.session.scalars(sa.select(PracticeEntry).where(
        PracticeEntry.cohort_id == cohort_id, PracticeEntry.user_id == user_id)
        .order_by(PracticeEntry.done_on.desc(), PracticeEntry.id.desc())))


@bp.get("/<int:cohort_id>/practice/<int:user_id>")
@login_required
def trainee_practice(cohort_id: int, user_id: int):
    """A mentor's view of one trainee's field practice, with sign-off buttons."""
    cohort = cohort_or_404(current_user, cohort_id)
    trainee = enrolled_trainee_or_404(cohort, user_id)
    return render_template("practice/mentor.html", cohort=cohort, trainee=trainee,
                           entries=_entries(cohort.id, trainee.id), form=FlaskForm(),
                           return_form=EntryReturnForm(), returning=None, kinds=dict(KIND_CHOICES))


@bp.post("/<int:cohort_id>/practice/entries/<int:entry_id>/sign")
@login_required
def sign(cohort_id: int, entry_id: int):
    """Sign off one activity."""
    cohort, entry = cohort_object_or_404(current_user, cohort_id, PracticeEntry, entry_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        rules.sign_off(entry, current_user.id, _today())
        flash(_("Activity signed off."), "success")
    except rules.PracticeRefused as refused:
        flash(str(refused.reason), "error")
    return redirect(url_for(".trainee_practice", cohort_id=cohort.id, user_id=entry.user_id))


@bp.post("/<int:cohort_id>/practice/entries/<int:entry_id>/return")
@login_required
def return_entry(cohort_id: int, entry_id: int):
    """Send an activity back to the trainee with what to change."""
    cohort, entry = cohort_object_or_404(current_user, cohort_id, PracticeEntry, entry_id)
    form = EntryReturnForm()
    if not form.validate_on_submit():
        trainee = enrolled_trainee_or_404(cohort, entry.user_id)
        return render_template("practice/mentor.html", cohort=cohort, trainee=trainee,
                               entries=_entries(cohort.id, trainee.id), form=FlaskForm(),
                               return_form=form, returning=entry.id, kinds=dict(KIND_CHOICES)), 400
    try:
        rules.return_entry(entry, current_user.id, form.comment.data)
        flash(_("Activity returned to the trainee with your comment."), "success")
    except rules.PracticeRefused as refused:
        flash(str(refused.reason), "error")
    return redirect(url_for(".trainee_practice", cohort_id=cohort.id, user_id=entry.user_id))


def _own_entry_or_404(cohort_id: int, entry_id: int) -> tuple[Cohort, PracticeEntry]:
    cohort = _own_cohort_or_404(cohort_id)
    entry = db.session.get(PracticeEntry, entry_id)
    if entry is None or entry.cohort_id != cohort.id or entry.user_id != current_user.id:
        abort(404)
    return cohort, entry


@bp.route("/<int:cohort_id>/practice/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit_entry(cohort_id: int, entry_id: int):
    """Correct an activity until it is signed off; a returned one goes back for sign-off."""
    cohort, entry = _own_entry_or_404(cohort_id, entry_id)
    if entry.signed_off_at is not None:
        flash(_("A signed-off activity can no longer be changed."), "error")
        return redirect(url_for(".my_practice", cohort_id=cohort.id))
    form, warnings = PracticeForm(obj=entry), []
    if form.validate_on_submit():
        warnings = personal_data_found(form.description.data)
        if not warnings or form.no_personal_data.data:
            rules.update_entry(entry, form.done_on.data, form.kind.data, form.description.data)
            flash(_("Activity saved. Your mentor will sign it off."), "success")
            return redirect(url_for(".my_practice", cohort_id=cohort.id))
    status = 400 if (form.errors or warnings) else 200
    return render_template("practice/entry_form.html", cohort=cohort, entry=entry, form=form,
                           warnings=warnings), status


@bp.post("/<int:cohort_id>/practice/entries/<int:entry_id>/withdraw")
@login_required
def withdraw_entry(cohort_id: int, entry_id: int):
    """Remove an activity that is not signed off yet."""
    cohort, entry = _own_entry_or_404(cohort_id, entry_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        rules.withdraw_entry(entry)
        flash(_("Activity withdrawn."), "success")
    except rules.PracticeRefused as refused:
        flash(str(refused.reason), "error")
    return redirect(url_for(".my_practice", cohort_id=cohort.id))


def _today():
    from flask import current_app
    return local_today(current_app.config["BABEL_DEFAULT_TIMEZONE"])
