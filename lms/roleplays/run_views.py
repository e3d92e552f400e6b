"""Running a role-play live with a cohort.

Staff pages live under the cohort (`/cohorts/<id>/roleplay-runs/...`): facilitators of the
cohort, its organisation's coordinators and admins start, arrange, time and end runs. A
trainee's page is `/roleplay-runs/<run_id>`: only for people taking part, and it only ever
holds their own role's secret.
"""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.accounts.models import is_staff
from lms.cohorts.access import cohort_or_404, may_open_cohort
from lms.cohorts.enrolment import cohort_trainees
from lms.cohorts.models import Cohort, TrainingSession
from lms.core.forms import BaseForm
from lms.core.i18n import gettext as _
from lms.extensions import db
from lms.roleplays import runs
from lms.roleplays.authoring import ensure_version
from lms.roleplays.models import RolePlayRun, RunObservation, RunParticipant, RunState

bp = Blueprint("roleplay_runs", __name__)


def _run_of_cohort_or_404(cohort_id: int, run_id: int) -> tuple[Cohort, RolePlayRun]:
    cohort = cohort_or_404(current_user, cohort_id)
    run = db.session.get(RolePlayRun, run_id)
    if run is None or run.cohort_id != cohort.id:
        abort(404)
    return cohort, run


def _checked_post() -> None:
    if not BaseForm().validate_on_submit():
        abort(400)


@bp.get("/cohorts/<int:cohort_id>/roleplay-runs")
@login_required
def index(cohort_id: int):
    """The cohort's runs, newest first."""
    cohort = cohort_or_404(current_user, cohort_id)
    rows = db.session.scalars(sa.select(RolePlayRun).where(RolePlayRun.cohort_id == cohort.id)
                              .order_by(RolePlayRun.created_at.desc(), RolePlayRun.id.desc())).all()
    return render_template("roleplays/runs.html", cohort=cohort, runs=rows)


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@bp.route("/cohorts/<int:cohort_id>/roleplay-runs/new", methods=["GET", "POST"])
@login_required
def new(cohort_id: int):
    """Pick a role-play, a session (its attendance picks the people), the people, groups and
    how roles are given."""
    cohort = cohort_or_404(current_user, cohort_id)
    roleplays = runs.runnable_roleplays(cohort.organisation_id)
    sessions = db.session.scalars(sa.select(TrainingSession).where(
        TrainingSession.cohort_id == cohort.id).order_by(TrainingSession.held_on.desc())).all()
    trainees = cohort_trainees(cohort.id)
    source = request.form if request.method == "POST" else request.args
    session = next((s for s in sessions if s.id == _int(source.get("session_id"))), None)
    errors: dict[str, str] = {}
    if request.method == "POST":
        _checked_post()
        chosen = {_int(v) for v in request.form.getlist("people")}
        people = [u.id for u in trainees if u.id in chosen]
        rp = next((r for r in roleplays if r.slug == request.form.get("roleplay")), None)
        split = request.form.get("split", "groups")
        number = _int(request.form.get("number"))
        method = request.form.get("assign", runs.RANDOM)
        if rp is None:
            errors["roleplay"] = _("Choose a published role-play.")
        if not people:
            errors["people"] = _("Choose at least one trainee.")
        if number is None or not 1 <= number <= 200:
            errors["number"] = _("Write a whole number from 1 to 200.")
        if method not in runs.ASSIGN_METHODS:
            errors["assign"] = _("Not a valid choice.")
        if not errors:
            version = ensure_version(rp, current_user.id)
            run = runs.start_run(cohort, version, people, groups=number if split == "groups" else None,
                                 size=number if split != "groups" else None, method=method,
                                 session=session, created_by=current_user.id)
            flash(_("Groups and roles are ready. Move people if needed, then start the run."),
                  "success")
            return redirect(url_for(".manage", cohort_id=cohort.id, run_id=run.id))
        selected = set(people)
    elif session is not None:
        present = set(runs.present_in_session(session.id))
        selected = {u.id for u in trainees if u.id in present} or {u.id for u in trainees}
    else:
        selected = {u.id for u in trainees}
    return render_template("roleplays/run_new.html", cohort=cohort, roleplays=roleplays,
                           sessions=sessions, session=session, trainees=trainees,
                           selected=selected, errors=errors, form=BaseForm(),
                           values=request.form if request.method == "POST" else {}), \
        400 if errors else 200


@bp.get("/cohorts/<int:cohort_id>/roleplay-runs/<int:run_id>")
@login_required
def manage(cohort_id: int, run_id: int):
    """Every group with who plays what, the timer, the observers' ticks and notes, and the
    debrief notes per group. The same number of queries for any number of groups."""
    cohort, run = _run_of_cohort_or_404(cohort_id, run_id)
    participants = runs.participants_of(run.id)
    observations = {o.observer_id: o for o in db.session.scalars(
        sa.select(RunObservation).where(RunObservation.run_id == run.id))}
    groups: dict[int, list[RunParticipant]] = {}
    for p in participants:
        groups.setdefault(p.group_number, []).append(p)
    numbers = sorted(set(groups) | set(range(1, run.group_count + 1)))
    version = run.version
    return render_template("roleplays/run_manage.html", cohort=cohort, run=run, version=version,
                           groups=groups, numbers=numbers, observations=observations,
                           received=runs.ticks_received(participants, observations.values()),
                           left=runs.time_left(run, version.duration_minutes), form=BaseForm(),
                           states=RunState)


@bp.post("/cohorts/<int:cohort_id>/roleplay-runs/<int:run_id>/arrange")
@login_required
def arrange(cohort_id: int, run_id: int):
    """Move people between groups and roles before the run starts."""
    cohort, run = _run_of_cohort_or_404(cohort_id, run_id)
    _checked_post()
    changes = {}
    for p in runs.participants_of(run.id):
        group = _int(request.form.get(f"group-{p.user_id}"), p.group_number)
        role = request.form.get(f"role-{p.user_id}", p.role_name or runs.OBSERVER)
        changes[p.user_id] = (group, None if role == runs.OBSERVER else role)
    try:
        runs.rearrange(run, changes)
    except runs.RunError as error:
        return _refused(cohort, run, error)
    flash(_("Groups and roles saved."), "success")
    return redirect(url_for(".manage", cohort_id=cohort.id, run_id=run.id))


def _refused(cohort: Cohort, run: RolePlayRun, error: runs.RunError):
    messages = {
        "the run has started: groups and roles are fixed": _("The run has started: groups and roles can no longer change."),
        "the run has already started": _("The run has already started."),
        "only a live run can be ended": _("Only a live run can be ended."),
        "the run has not started": _("The run has not started yet."),
        "observations are taken while the run is live": _("Observations can be saved only while the run is live."),
    }
    text = str(error)
    if text.startswith("group ") and " has role " in text:
        message = _("Each role can be played by only one person per group: %(detail)s.",
                    detail=text)
    else:
        message = messages.get(text, _("That change is not possible."))
    flash(message, "error")
    return redirect(url_for(".manage", cohort_id=cohort.id, run_id=run.id), 303)


@bp.post("/cohorts/<int:cohort_id>/roleplay-runs/<int:run_id>/start")
@login_required
def start(cohort_id: int, run_id: int):
    """Go live: trainees see their roles and the timer starts."""
    cohort, run = _run_of_cohort_or_404(cohort_id, run_id)
    _checked_post()
    try:
        runs.go_live(run)
    except runs.RunError as error:
        return _refused(cohort, run, error)
    flash(_("The run is live. Trainees can open their role on their phones."), "success")
    return redirect(url_for(".manage", cohort_id=cohort.id, run_id=run.id))


@bp.post("/cohorts/<int:cohort_id>/roleplay-runs/<int:run_id>/debrief")
@login_required
def debrief(cohort_id: int, run_id: int):
    """Save the debrief notes of one group."""
    cohort, run = _run_of_cohort_or_404(cohort_id, run_id)
    _checked_post()
    try:
        runs.save_debrief(run, _int(request.form.get("group"), 0), request.form.get("notes", ""))
    except runs.RunError as error:
        return _refused(cohort, run, error)
    flash(_("Debrief notes saved."), "success")
    return redirect(url_for(".manage", cohort_id=cohort.id, run_id=run.id))


@bp.post("/cohorts/<int:cohort_id>/roleplay-runs/<int:run_id>/end")
@login_required
def end(cohort_id: int, run_id: int):
    cohort, run = _run_of_cohort_or_404(cohort_id, run_id)
    _checked_post()
    try:
        runs.end_run(run)
    except runs.RunError as error:
        return _refused(cohort, run, error)
    flash(_("The run has ended."), "success")
    return redirect(url_for(".manage", cohort_id=cohort.id, run_id=run.id))


def _my_place_or_404(run_id: int) -> tuple[RolePlayRun, RunParticipant]:
    me = db.session.scalar(sa.select(RunParticipant).where(
        RunParticipant.run_id == run_id, RunParticipant.user_id == current_user.id))
    if me is None:
        abort(404)
    return db.session.get(RolePlayRun, run_id), me


@bp.get("/roleplay-runs/<int:run_id>")
@login_required
def mine(run_id: int):
    """A trainee's phone page: the scenario, their group, their role's brief and secret, the
    other roles' briefs; observers get the checklist to tick and notes per player."""
    if is_staff(current_user):
        run = db.session.get(RolePlayRun, run_id)
        cohort = db.session.get(Cohort, run.cohort_id) if run else None
        if cohort is not None and may_open_cohort(current_user, cohort):
            return redirect(url_for(".manage", cohort_id=cohort.id, run_id=run.id))
    run, me = _my_place_or_404(run_id)
    version = run.version
    group = list(db.session.scalars(sa.select(RunParticipant).where(
        RunParticipant.run_id == run.id, RunParticipant.group_number == me.group_number)
        .order_by(RunParticipant.id)))
    mine_role = next((r for r in version.roles if r["name"] == me.role_name), None)
    observation = None
    if me.observer:
        observation = db.session.scalar(sa.select(RunObservation).where(
            RunObservation.run_id == run.id, RunObservation.observer_id == current_user.id))
    return render_template("roleplays/run.html", run=run, play=version, me=me, mine=mine_role,
                           roles=version.roles, group=group, observation=observation,
                           form=BaseForm(), states=RunState,
                           left=runs.time_left(run, version.duration_minutes))


@bp.post("/roleplay-runs/<int:run_id>/observe")
@login_required
def observe(run_id: int):
    """An observer saves their ticks and notes per player."""
    run, me = _my_place_or_404(run_id)
    if not me.observer:
        abort(404)
    _checked_post()
    ticks = [t for t in (_int(v) for v in request.form.getlist("tick")) if t is not None]
    notes = {role["name"]: request.form.get(f"note-{i}", "") for i, role in enumerate(run.version.roles)}
    try:
        runs.save_observation(run, me, ticks, notes)
    except runs.RunError as error:
        flash(_("Observations can be saved only while the run is live.") if "live" in str(error)
              else _("That change is not possible."), "error")
        return redirect(url_for(".mine", run_id=run.id), 303)
    flash(_("Your observations are saved."), "success")
    return redirect(url_for(".mine", run_id=run.id))
