"""Training sessions and attendance, taken on a phone in a few taps."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.cohorts.access import cohort_object_or_404, cohort_or_404
from lms.cohorts.attendance import record_attendance, session_counts
from lms.cohorts.enrolment import cohort_trainees
from lms.cohorts.forms import SessionForm
from lms.cohorts.models import Attendance, AttendanceStatus, TrainingSession
from lms.cohorts.requirements import cohort_required_modules
from lms.core.i18n import gettext as _
from lms.extensions import db

bp = Blueprint("sessions", __name__, url_prefix="/cohorts")


@bp.get("/<int:cohort_id>/sessions")
@login_required
def index(cohort_id: int):
    """The cohort's sessions, newest first."""
    cohort = cohort_or_404(current_user, cohort_id)
    sessions = db.session.scalars(sa.select(TrainingSession).where(
        TrainingSession.cohort_id == cohort.id).order_by(TrainingSession.held_on.desc())).all()
    return render_template("cohorts/sessions.html", cohort=cohort, sessions=sessions,
                           counts=session_counts([s.id for s in sessions]))


@bp.route("/<int:cohort_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new(cohort_id: int):
    """Plan a session: date, time, topic or modules, place or online link."""
    cohort = cohort_or_404(current_user, cohort_id)
    form = SessionForm()
    form.modules.choices = [(m.slug, m.title) for m in cohort_required_modules(cohort)]
    if form.validate_on_submit():
        training_session = TrainingSession(
            cohort_id=cohort.id, held_on=form.held_on.data, starts_at=form.starts_at.data,
            topic=form.topic.data.strip(), module_slugs=form.modules.data or [],
            place=(form.place.data or "").strip())
        db.session.add(training_session)
        db.session.flush()
        flash(_("Session added."), "success")
        return redirect(url_for(".attendance", cohort_id=cohort.id, session_id=training_session.id))
    return render_template("cohorts/session_form.html", cohort=cohort, form=form), 400 if form.errors else 200


@bp.route("/<int:cohort_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(cohort_id: int, session_id: int):
    """One row per trainee with three big choices: present, excused, absent."""
    cohort, training_session = cohort_object_or_404(current_user, cohort_id, TrainingSession,
                                                    session_id)
    trainees = cohort_trainees(cohort.id)
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        statuses = {u.id: request.form.get(f"u{u.id}", "") for u in trainees}
        if "all_present" in request.form:
            # One tap for the usual case; anyone already marked keeps their mark.
            statuses = {u: s or AttendanceStatus.PRESENT for u, s in statuses.items()}
        count = record_attendance(training_session, statuses, current_user.id)
        flash(_("Attendance saved for %(n)d trainees.", n=count), "success")
        return redirect(url_for(".attendance", cohort_id=cohort.id, session_id=training_session.id))
    current = {a.user_id: a.status for a in db.session.scalars(
        sa.select(Attendance).where(Attendance.session_id == training_session.id))}
    return render_template("cohorts/attendance.html", cohort=cohort, training_session=training_session,
                           trainees=trainees, current=current, form=form,
                           statuses=AttendanceStatus.ALL)
