"""Demo work for every role: ten more trainees (trainee3..trainee12) in the demo cohort with
varied progress, so that on first sign-in a facilitator finds essays to score, RTLs and field
practice in every state and the next sessions, a coordinator finds trainees ready for a
certificate, and each trainee finds something left to do.

It builds on `lms.certification.demo` (trainee1 meets every rule, trainee2 has only started,
five past sessions) and works over any curriculum, the shipped one or the tests' fixture,
or none at all. Idempotent: what exists is never added twice.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment.attempts import current_version, start_or_resume, submit
from lms.assessment.completion import required_quizzes
from lms.assessment.models import Attempt, Quiz
from lms.certification.demo import SESSIONS, demo_sessions, graded_attempt
from lms.cohorts.models import Attendance, AttendanceStatus, Cohort, TrainingSession
from lms.cohorts.requirements import cohort_required_modules
from lms.extensions import db
from lms.learning.models import Module, ModuleProgress, Track
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.timeutil import utcnow

SIGNED, WAITING, RETURNED = "signed", "waiting", "returned"


@dataclass(frozen=True)
class Progress:
    """How far one demo trainee has come."""

    name: str
    modules: float                 # share of the required modules complete
    present: int                   # of the demo's past sessions; then `excused`, the rest absent
    excused: int
    rtl: str | None                # a ReviewState, or None: no RTL yet
    practice: tuple[str, ...]      # one field-practice entry per item: SIGNED, WAITING or RETURNED
    essay_days: int | None = None  # a case analysis sent this many days ago, waiting for a score
    pre: float | None = None       # share right in the pre-test
    post: float | None = None      # share right in the post-test (only once every module is complete)
    roleplay: bool = False         # took part in the demo's second role-play run


TRAINEES = {
    "trainee3": Progress("Cempaka", 1.0, 4, 0, ReviewState.DRAFT, (SIGNED, WAITING), pre=0.5),
    "trainee4": Progress("Dahlia", 1.0, 5, 0, ReviewState.APPROVED, (SIGNED, SIGNED, SIGNED),
                         pre=0.3, post=0.8, roleplay=True),
    "trainee5": Progress("Anggrek", 0.75, 4, 1, ReviewState.SUBMITTED, (SIGNED, SIGNED, RETURNED),
                         essay_days=6, pre=0.45),
    "trainee6": Progress("Kamboja", 0.35, 3, 0, ReviewState.RETURNED, (WAITING,), essay_days=3, pre=0.35),
    "trainee7": Progress("Teratai", 1.0, 4, 1, ReviewState.SUBMITTED, (SIGNED, SIGNED, WAITING),
                         pre=0.5, post=0.75),
    "trainee8": Progress("Mawar", 0.15, 2, 1, None, (), pre=0.25),
    "trainee9": Progress("Seruni", 1.0, 5, 0, ReviewState.APPROVED, (SIGNED, SIGNED, SIGNED),
                         pre=0.4, post=0.9, roleplay=True),
    "trainee10": Progress("Flamboyan", 0.0, 1, 0, None, ()),
    "trainee11": Progress("Kemuning", 0.6, 4, 0, ReviewState.DRAFT, (WAITING, WAITING), essay_days=1, pre=0.55),
    "trainee12": Progress("Soka", 1.0, 5, 0, ReviewState.APPROVED, (SIGNED, SIGNED, SIGNED, WAITING),
                          pre=0.6, post=0.95, roleplay=True),
}

ESSAY = ("Pertama saya pastikan korban aman dan tidak sendirian. Saya jelaskan pilihannya lalu "
         "meminta persetujuannya sebelum melapor. Setelah itu saya rujuk ke UPTD PPA dan LBH "
         "terdekat, dan mencatat kronologi tanpa menyebut nama.")
PRACTICE = (
    ("hotline", "Piket hotline malam, dua penelepon dirujuk ke layanan kesehatan."),
    ("accompaniment", "Mendampingi korban membuat laporan di unit PPA polres."),
    ("outreach", "Penjangkauan di dua titik bersama petugas lapangan."),
    ("referral", "Merujuk satu korban ke rumah aman melalui UPTD PPA."),
    ("community_session", "Diskusi hak hukum dengan 15 anggota komunitas."),
)
RETURN_COMMENT = "Tulis hasil rujukannya juga (tanpa nama korban)."
RTL_RETURN_COMMENT = "Targetnya perlu lebih jelas: berapa orang, di mana, dan kapan."
UPCOMING = ((2, "Pertemuan 6: analisis kasus", "Balai Desa Karangsari"),
            (9, "Pertemuan 7: role-play hotline", "Ruang pertemuan LBH"))


def right_answer(question: dict):
    """The answer that earns full credit, in the stored form of the question's type (an essay
    gets a demo text)."""
    kind = question["type"]
    if kind == "single":
        return next(i for i, o in enumerate(question["options"]) if o["correct"])
    if kind == "multiple":
        return [i for i, o in enumerate(question["options"]) if o["correct"]]
    if kind == "true_false":
        return question["answer"]
    if kind == "ordering":
        return list(range(1, len(question["items"]) + 1))
    if kind == "matching":
        return list(range(len(question["pairs"])))
    if kind == "short":
        return question["answers"][0]
    if kind == "numeric":
        return str(question["value"])
    return ESSAY


def _has_essay(quiz: Quiz) -> bool:
    version = current_version(quiz)
    return version is not None and any(q["type"] == "essay" for q in version.definition["questions"])


def _essay_quiz(modules: list[Module], done: int, quizzes: dict[str, Quiz]) -> Quiz | None:
    """The case analysis a trainee sends last: of the modules done or the one in progress (the
    latest first), else of a later module, else any quiz with an essay (the fixture's)."""
    near = [s for m in reversed(modules[:done + 1]) for s in m.case_slugs or []]
    later = [s for m in modules[done + 1:] for s in m.case_slugs or []]
    for slug in near + later:
        if slug in quizzes and _has_essay(quizzes[slug]):
            return quizzes[slug]
    return next((q for q in sorted(quizzes.values(), key=lambda q: (q.kind != "case", q.slug))
                 if q.retired_at is None and _has_essay(q)), None)


def _send_essay(user: User, quiz: Quiz, days_ago: int) -> None:
    """A submitted attempt, every question answered, the essays waiting for a score."""
    attempt = start_or_resume(user.id, quiz)
    db.session.flush()
    questions = attempt.version.definition["questions"]
    submit(attempt, {str(i): right_answer(q) for i, q in enumerate(questions)}, quiz.pass_mark)
    attempt.submitted_at = attempt.started_at = attempt.updated_at = utcnow() - dt.timedelta(days=days_ago)
    db.session.flush()


def _learning(cohort: Cohort, user: User, p: Progress, quizzes: dict[str, Quiz]) -> None:
    """Modules read and passed up to the trainee's share, the next one read, the pre-test and
    (once every module is complete) the post-test; a case analysis waiting, if any."""
    if db.session.scalar(sa.select(Attempt.id).where(Attempt.user_id == user.id).limit(1)) or \
            db.session.scalar(sa.select(ModuleProgress.id).where(ModuleProgress.user_id == user.id).limit(1)):
        return
    modules = cohort_required_modules(cohort)
    done = round(p.modules * len(modules))
    essay = _essay_quiz(modules, done, quizzes) if p.essay_days is not None else None
    for module in modules[:done + 1] if p.modules else []:
        db.session.add(ModuleProgress(user_id=user.id, module_slug=module.slug))
    for module in modules[:done]:
        for slug in required_quizzes(module):
            if slug in quizzes and (essay is None or slug != essay.slug):
                graded_attempt(user, quizzes[slug], 1.0)
    track = db.session.scalar(sa.select(Track).where(Track.slug == cohort.track_slug))
    if track is not None:
        for slug, share in ((track.pretest_slug, p.pre), (track.posttest_slug, p.post if done == len(modules) else None)):
            if share is not None and slug in quizzes:
                graded_attempt(user, quizzes[slug], share)
    if essay is not None:
        _send_essay(user, essay, p.essay_days)
    db.session.flush()


def _attendance(sessions: list[TrainingSession], user: User, p: Progress, recorded_by: int) -> None:
    for i, session in enumerate(sessions):
        if db.session.get(Attendance, (session.id, user.id)) is None:
            status = (AttendanceStatus.PRESENT if i < p.present else
                      AttendanceStatus.EXCUSED if i < p.present + p.excused else AttendanceStatus.ABSENT)
            db.session.add(Attendance(session_id=session.id, user_id=user.id, status=status, recorded_by=recorded_by))


def _plan(cohort: Cohort, user: User, state: str | None, mentor_id: int) -> None:
    if state is None or db.session.scalar(sa.select(ActionPlan.id).where(
            ActionPlan.cohort_id == cohort.id, ActionPlan.user_id == user.id)):
        return
    now = utcnow()
    plan = ActionPlan(cohort_id=cohort.id, user_id=user.id, state=state,
                      activities="Sosialisasi layanan pengaduan di kelompok dampingan, sebulan sekali.",
                      target="40 anggota komunitas", timeline="Januari-Juni",
                      support_needed="Leaflet nomor layanan", updated_at=now - dt.timedelta(days=4))
    if state != ReviewState.DRAFT:
        plan.submitted_at = now - dt.timedelta(days=4)
    if state in (ReviewState.APPROVED, ReviewState.RETURNED):
        plan.reviewed_by, plan.reviewed_at = mentor_id, now - dt.timedelta(days=2)
        plan.reviewer_comment = "Bagus, lanjutkan." if state == ReviewState.APPROVED else RTL_RETURN_COMMENT
    db.session.add(plan)


def _practice(cohort: Cohort, user: User, states: tuple[str, ...], mentor_id: int, today: dt.date) -> None:
    if not states or db.session.scalar(sa.select(PracticeEntry.id).where(
            PracticeEntry.cohort_id == cohort.id, PracticeEntry.user_id == user.id).limit(1)):
        return
    now = utcnow()
    for i, state in enumerate(states):
        days = 3 * (len(states) - i) + 1
        kind, description = PRACTICE[i % len(PRACTICE)]
        entry = PracticeEntry(cohort_id=cohort.id, user_id=user.id, done_on=today - dt.timedelta(days=days),
                              kind=kind, description=description, created_at=now - dt.timedelta(days=days - 1))
        if state == SIGNED:
            entry.signed_off_by, entry.signed_off_at = mentor_id, now - dt.timedelta(days=days - 2)
        elif state == RETURNED:
            entry.mentor_comment, entry.returned_at = RETURN_COMMENT, now - dt.timedelta(days=1)
        db.session.add(entry)


def _upcoming_sessions(cohort: Cohort, today: dt.date) -> None:
    """Two sessions ahead, so a facilitator has the next one to take attendance at."""
    if db.session.scalar(sa.select(TrainingSession.id).where(
            TrainingSession.cohort_id == cohort.id, TrainingSession.held_on >= today).limit(1)):
        return
    for days, topic, place in UPCOMING:
        db.session.add(TrainingSession(cohort_id=cohort.id, held_on=today + dt.timedelta(days=days),
                                       starts_at=dt.time(9, 0), topic=topic, place=place, module_slugs=[]))
    last = today + dt.timedelta(days=UPCOMING[-1][0])
    if cohort.ends_on is not None and cohort.ends_on < last:
        cohort.ends_on = last   # the cohort runs until its last session


def _second_run(cohort: Cohort, users: list[User]) -> None:
    """An ended role-play run of the trainees marked for it (after the demo's first run)."""
    from lms.roleplays.authoring import ensure_version
    from lms.roleplays.models import RolePlay, RunParticipant
    from lms.roleplays.runs import BY_HAND, end_run, go_live, start_run
    ids = [u.id for u in users]
    if not ids or db.session.scalar(sa.select(RunParticipant.id).where(RunParticipant.user_id.in_(ids)).limit(1)):
        return
    roleplay = db.session.scalar(sa.select(RolePlay).where(
        RolePlay.retired_at.is_(None), RolePlay.organisation_id.is_(None)).order_by(RolePlay.slug).limit(1))
    if roleplay is None:
        return
    run = start_run(cohort, ensure_version(roleplay, None), ids, groups=1, method=BY_HAND)
    go_live(run)
    end_run(run)


def create_work_demo(cohort: Cohort, users: dict[str, User], mentor: User, today: dt.date) -> None:
    """Give the demo trainees trainee3..trainee12 their progress (see TRAINEES). Never commits."""
    quizzes = {q.slug: q for q in db.session.scalars(sa.select(Quiz).where(Quiz.retired_at.is_(None)))}
    sessions = demo_sessions(cohort)[:SESSIONS]
    for username, progress in TRAINEES.items():
        user = users[username]
        _learning(cohort, user, progress, quizzes)
        _attendance(sessions, user, progress, mentor.id)
        _plan(cohort, user, progress.rtl, mentor.id)
        _practice(cohort, user, progress.practice, mentor.id, today)
    _upcoming_sessions(cohort, today)
    _second_run(cohort, [users[u] for u, p in TRAINEES.items() if p.roleplay])
    db.session.flush()
