"""A person's home: a trainee's tracks with progress, learning gain and cohorts; the work
waiting for a facilitator, coordinator or admin."""
from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from lms.accounts.guards import require_staff
from lms.accounts.models import Role, is_manager, is_staff
from lms.assessment.completion import ModuleState, attempt_summaries, module_state, required_quizzes
from lms.assessment.reports import track_gains
from lms.certification.service import cohort_status, printed_name
from lms.cohorts.access import visible_cohorts
from lms.extensions import db
from lms.home import work
from lms.learning import progress
from lms.roleplays.runs import my_runs
from lms.timeutil import local_today

bp = Blueprint("home", __name__, url_prefix="/learn")


def _module_states(user_id: int, modules, read: set[str]) -> dict:
    """Each module's state for one person, reusing the read set the page already has (one
    query for the attempts)."""
    needed = {m.slug: required_quizzes(m) for m in modules}
    summaries = attempt_summaries([user_id], {q for qs in needed.values() for q in qs})
    return {slug: module_state(slug in read, quizzes,
                               {q: summaries[(user_id, q)] for q in quizzes if (user_id, q) in summaries})
            for slug, quizzes in needed.items()}


@bp.get("/")
@login_required
def index():
    """Staff see the work waiting for them; trainees their learning."""
    if is_staff(current_user):
        return _staff_home()
    return _learner_home()


def _staff_home():
    """What waits for a decision, the next sessions and the cohorts' progress; managers also
    see certification and, for an admin, the organisations."""
    today = local_today(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    manager = is_manager(current_user)
    cohorts, cohort_total = work.current_cohorts(current_user, today)
    orgs, org_total = work.organisations() if current_user.role == Role.ADMIN else ([], 0)
    return render_template("home/staff.html", waiting=work.waiting_for(current_user),
                           sessions=work.next_sessions(current_user, today),
                           cards=work.cohort_cards(cohorts, certification=manager),
                           cohort_total=cohort_total, organisations=orgs, org_total=org_total,
                           today=today)


@bp.get("/curriculum")
@login_required
def curriculum():
    """Every track and module, for staff to read what their trainees read."""
    require_staff()
    tracks = progress.tracks_with_modules()
    return render_template("learning/index.html", tracks=tracks, other_tracks=[], learner=False,
                           done=progress.read_module_slugs(current_user.id), gains={}, cohorts=[],
                           roleplay_runs=[], certification={}, states={}, next_module=None,
                           printed_name=None)


def _learner_home():
    """Every track with its modules and this person's progress."""
    tracks = progress.tracks_with_modules()
    done = progress.read_module_slugs(current_user.id)
    gains = {slug: per_person.get(current_user.id) for slug, (_group, per_person) in
             track_gains([current_user.id], [track for track, _modules in tracks]).items()}
    cohorts = db.session.scalars(visible_cohorts(current_user)).all()
    runs = my_runs(current_user.id)
    # What is left for each cohort's certificate, or the certificate itself.
    statuses = {c.id: cohort_status(c, [current_user]) for c in cohorts}
    certification = {cohort_id: status[0] for cohort_id, (_facts, status) in statuses.items()}
    # A trainee's own tracks (those of their cohorts) come first; the others stay reachable.
    own = {c.track_slug for c in cohorts}
    mine = [(t, ms) for t, ms in tracks if t.slug in own] or tracks
    others = [(t, ms) for t, ms in tracks if (t, ms) not in mine]
    # The cohort facts already hold the states of the required modules: compute only the rest.
    states = {m.slug: state for facts, _status in statuses.values() if facts.trainees
              for m, state in zip(facts.modules, facts.trainees[0].states)}
    rest = [m for _t, ms in mine for m in ms if m.slug not in states]
    if cohorts and rest:
        states.update(_module_states(current_user.id, rest, done))
    next_module = next((m for _t, ms in mine for m in ms
                        if states.get(m.slug) != ModuleState.COMPLETE), None)
    return render_template("learning/index.html", tracks=mine, other_tracks=others, done=done,
                           learner=True, gains=gains, cohorts=cohorts, roleplay_runs=runs,
                           certification=certification, states=states, next_module=next_module,
                           printed_name=printed_name(current_user) if cohorts else None)
