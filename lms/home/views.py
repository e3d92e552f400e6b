"""A person's home: a trainee's tracks with progress, learning gain and cohorts; the work
waiting for a facilitator, coordinator or admin."""
from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from lms.accounts.guards import require_staff
from lms.accounts.models import Role, is_manager, is_staff
from lms.assessment.completion import ModuleState, module_state, required_quizzes
from lms.assessment.reports import attempts_overview, track_gains
from lms.certification.service import trainee_status
from lms.cohorts.access import trainee_cohorts
from lms.core.page_cache import cached_page
from lms.home import work
from lms.learning import progress
from lms.roleplays.runs import my_runs
from lms.timeutil import local_today

bp = Blueprint("home", __name__, url_prefix="/learn")


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


@cached_page   # shows the trainee's own rows and the site's, nobody else's
def _learner_home():
    """Every track with its modules and this person's progress.

    Each thing is read once and handed to what needs it: the tracks and modules, the read set
    and one read of the attempts serve the module states, the gains and the facts of all the
    trainee's cohorts, which are read together, not per cohort."""
    user = current_user._get_current_object()   # the proxy costs a lookup on every use
    me = user.id
    tracks = progress.tracks_with_modules()
    done = progress.read_module_slugs(me)
    cohorts = trainee_cohorts(me)
    # A trainee's own tracks (those of their cohorts) come first; the others stay reachable.
    own = {c.track_slug for c in cohorts}
    mine = [(t, ms) for t, ms in tracks if t.slug in own]
    mine, others = (mine, [(t, ms) for t, ms in tracks if t.slug not in own]) if mine else (tracks, [])
    # States only for someone in a cohort: without one no module is required of them.
    needed = {m.slug: required_quizzes(m) for _t, ms in mine for m in ms} if cohorts else {}
    tests = {s for t, _ms in tracks for s in (t.pretest_slug, t.posttest_slug) if s}
    summaries, first = attempts_overview(me, tests | {q for qs in needed.values() for q in qs})
    gains_by_track = track_gains([me], [t for t, _ms in tracks], first)
    gains = {slug: per_person.get(me) for slug, (_group, per_person) in gains_by_track.items()}
    states = {slug: module_state(slug in done, quizzes, summaries) for slug, quizzes in needed.items()}
    # What is left for each cohort's certificate, or the certificate itself; the name to print
    # is shown only where a certificate is still to come.
    certification, name = trainee_status(user, cohorts, outlines=mine, states=states, gains=gains_by_track)
    next_module = next((m for _t, ms in mine for m in ms
                        if states.get(m.slug) != ModuleState.COMPLETE), None)
    return render_template("learning/index.html", tracks=mine, other_tracks=others, done=done,
                           learner=True, gains=gains, cohorts=cohorts, roleplay_runs=my_runs(me),
                           certification=certification, states=states, next_module=next_module,
                           printed_name=name)
