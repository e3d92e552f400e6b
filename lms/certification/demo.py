"""Demo records for certification: in the demo cohort `trainee1` has done everything and meets
every rule, `trainee2` has only started, so certification shows both right after `flask demo`.
Idempotent: nothing is added twice."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment.analytics import module_percents
from lms.assessment.attempts import current_version, make_layout
from lms.assessment.models import Attempt, AttemptStatus, Quiz
from lms.cohorts.models import Attendance, AttendanceStatus, Cohort, TrainingSession
from lms.cohorts.requirements import cohort_required_modules
from lms.extensions import db
from lms.learning.models import ModuleProgress, Track
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.timeutil import utcnow

SESSIONS = 5


def graded_attempt(user: User, quiz: Quiz, share: float) -> None:
    """A graded attempt with `share` of the questions right (as if taken and reviewed)."""
    if db.session.scalar(sa.select(Attempt.id).where(Attempt.user_id == user.id,
                                                     Attempt.quiz_slug == quiz.slug).limit(1)):
        return
    version = current_version(quiz)
    questions = version.definition["questions"]
    right = round(share * len(questions))
    credits = {str(i): 1.0 if i < right else 0.0 for i in range(len(questions))}
    percent = 100.0 * right / len(questions) if questions else 100.0
    now = utcnow()
    db.session.add(Attempt(user_id=user.id, quiz_slug=quiz.slug, quiz_version_id=version.id, kind=quiz.kind,
                           number=1, status=AttemptStatus.GRADED, layout=make_layout(version.definition, 1),
                           answers={}, credits=credits, module_percents=module_percents(questions, credits),
                           score_points=float(right), max_points=float(len(questions)),
                           score_percent=percent, passed=percent >= (quiz.pass_mark or 0),
                           submitted_at=now, graded_at=now))


def demo_sessions(cohort: Cohort) -> list[TrainingSession]:
    """The demo's first SESSIONS sessions (added if missing), those attendance is taken at;
    sessions added later (the coming ones) are left alone."""
    sessions = list(db.session.scalars(sa.select(TrainingSession).where(TrainingSession.cohort_id == cohort.id)
                                       .order_by(TrainingSession.id)))
    start = dt.date(2026, 9, 7)
    for i in range(len(sessions), SESSIONS):
        session = TrainingSession(cohort_id=cohort.id, held_on=start + dt.timedelta(weeks=i),
                                  topic=f"Pertemuan {i + 1}", module_slugs=[])
        db.session.add(session)
        sessions.append(session)
    db.session.flush()
    return sessions[:SESSIONS]


def _records(cohort: Cohort, user: User, modules: bool, present: int, practice: int, rtl: str) -> None:
    """Attendance, RTL and practice; with `modules`, every required module read and passed, and
    the pre- and post-test taken (otherwise the pre-test only: the post-test opens after the
    modules)."""
    track = db.session.scalar(sa.select(Track).where(Track.slug == cohort.track_slug))
    quizzes = {q.slug: q for q in db.session.scalars(sa.select(Quiz))}
    for module in cohort_required_modules(cohort) if modules else []:
        if db.session.scalar(sa.select(ModuleProgress.id).where(
                ModuleProgress.user_id == user.id, ModuleProgress.module_slug == module.slug)) is None:
            db.session.add(ModuleProgress(user_id=user.id, module_slug=module.slug))
        for slug in ([module.quiz_slug] if module.quiz_slug else []) + list(module.case_slugs or []):
            if slug in quizzes:
                graded_attempt(user, quizzes[slug], 1.0)
    if track is not None:
        for slug, share in ((track.pretest_slug, 0.4), (track.posttest_slug, 0.85)):
            if slug in quizzes and (modules or slug == track.pretest_slug):
                graded_attempt(user, quizzes[slug], share)
    for i, session in enumerate(demo_sessions(cohort)):
        if db.session.get(Attendance, (session.id, user.id)) is None:
            db.session.add(Attendance(session_id=session.id, user_id=user.id,
                                      status=AttendanceStatus.PRESENT if i < present else AttendanceStatus.ABSENT))
    if db.session.scalar(sa.select(ActionPlan.id).where(ActionPlan.cohort_id == cohort.id,
                                                        ActionPlan.user_id == user.id)) is None:
        db.session.add(ActionPlan(cohort_id=cohort.id, user_id=user.id, state=rtl, submitted_at=utcnow(),
                                  activities="Sosialisasi hak korban di posyandu desa, dua kali sebulan.",
                                  target="60 warga desa", timeline="Januari-Juni", support_needed="Leaflet"))
    if not db.session.scalar(sa.select(PracticeEntry.id).where(PracticeEntry.cohort_id == cohort.id,
                                                               PracticeEntry.user_id == user.id).limit(1)):
        for i in range(practice):
            db.session.add(PracticeEntry(cohort_id=cohort.id, user_id=user.id, done_on=dt.date(2026, 11, 2 + i),
                                         kind="hotline", description="Piket hotline malam.",
                                         signed_off_at=utcnow()))
    db.session.flush()


def _roleplay_run(cohort: Cohort, user: User) -> None:
    """One ended run of a shipped role-play (the hotline one) in which trainee1 took part."""
    from lms.roleplays.authoring import ensure_version
    from lms.roleplays.models import RolePlay, RolePlayRun
    from lms.roleplays.runs import BY_HAND, end_run, go_live, start_run
    if db.session.scalar(sa.select(RolePlayRun.id).where(RolePlayRun.cohort_id == cohort.id).limit(1)):
        return
    roleplay = db.session.scalar(  # the hotline role-play, or any shipped one
        sa.select(RolePlay).where(RolePlay.retired_at.is_(None), RolePlay.organisation_id.is_(None))
        .order_by((RolePlay.slug == "rp-hotline").desc(), RolePlay.slug).limit(1))
    if roleplay is None:  # content not synced: the role-play rule simply stays unmet
        return
    run = start_run(cohort, ensure_version(roleplay, None), [user.id], groups=1, method=BY_HAND)
    go_live(run)
    end_run(run)


def create_certification_demo(cohort: Cohort, users: dict[str, User]) -> None:
    """trainee1 meets every rule; trainee2 has only started (pre-test, 3 of 5 sessions, one
    field-practice entry, an RTL awaiting review) and has read no module yet."""
    if cohort.starts_on is None:
        cohort.starts_on, cohort.ends_on = dt.date(2026, 9, 7), dt.date(2026, 11, 30)
    _records(cohort, users["trainee1"], modules=True, present=SESSIONS, practice=3, rtl=ReviewState.APPROVED)
    _records(cohort, users["trainee2"], modules=False, present=3, practice=1, rtl=ReviewState.SUBMITTED)
    _roleplay_run(cohort, users["trainee1"])
