"""A person's data: export everything held about them; erase them without breaking statistics.

Erasure anonymises the account and blanks free text they wrote (essays, RTL, field-practice
descriptions, role-play observation notes may name people), but keeps scores, states and attendance, so cohort
completion rates and learning gain stay true.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import sqlalchemy as sa

from lms.accounts.models import ActivationCode, LoginSession, LoginThrottle, User
from lms.assessment.models import Attempt, EssayReview, EssayReviewHistory
from lms.cohorts.models import Attendance, Cohort, Enrollment
from lms.extensions import db
from lms.learning.models import ModuleProgress
from lms.practice.models import ActionPlan, PracticeEntry
from lms.roleplays.models import RunObservation, RunParticipant
from lms.timeutil import utcnow

ERASED_TEXT = "[dihapus]"

# Domains above records that hold personal data register (name, export, erase) here, so the
# export and the erasure cover them without records importing them. export(user) returns
# JSON-ready data; erase(user) anonymises it (both flush, never commit).
PERSON_DATA: list[tuple[str, Callable[[User], object], Callable[[User], None]]] = []


def register_person_data(name: str, export: Callable[[User], object], erase: Callable[[User], None]) -> None:
    if name not in {n for n, _e, _r in PERSON_DATA}:
        PERSON_DATA.append((name, export, erase))


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def rows_of(model, *where, exclude=()) -> list[dict]:
    columns = [c.name for c in model.__table__.columns if c.name not in exclude]
    return [{c: _plain(getattr(row, c)) for c in columns}
            for row in db.session.scalars(sa.select(model).where(*where))]


def export_person(user: User) -> dict:
    """Everything the system holds about a person, as JSON-ready data."""
    account = {c.name: _plain(getattr(user, c.name)) for c in User.__table__.columns
               if c.name != "password_hash"}
    account["has_password"] = user.password_hash is not None
    attempts = rows_of(Attempt, Attempt.user_id == user.id)
    reviews = rows_of(EssayReview, EssayReview.attempt_id.in_([a["id"] for a in attempts]))
    data = {
        "exported_at": utcnow().isoformat(),
        "account": account,
        "organisation": user.organisation.name if user.organisation else None,
        "cohorts": [{"id": c.id, "name": c.name, "track": c.track_slug} for c in db.session.scalars(
            sa.select(Cohort).join(Enrollment, Enrollment.cohort_id == Cohort.id)
            .where(Enrollment.user_id == user.id))],
        "module_progress": rows_of(ModuleProgress, ModuleProgress.user_id == user.id),
        "attempts": attempts,
        "essay_reviews": reviews,
        "essay_review_history": rows_of(EssayReviewHistory,
                                        EssayReviewHistory.review_id.in_([r["id"] for r in reviews])),
        "attendance": rows_of(Attendance, Attendance.user_id == user.id),
        "action_plans": rows_of(ActionPlan, ActionPlan.user_id == user.id),
        "field_practice": rows_of(PracticeEntry, PracticeEntry.user_id == user.id),
        "roleplay_runs": rows_of(RunParticipant, RunParticipant.user_id == user.id),
        "roleplay_observations": rows_of(RunObservation, RunObservation.observer_id == user.id),
        "sign_in_sessions": rows_of(LoginSession, LoginSession.user_id == user.id, exclude=("token",)),
    }
    data.update({name: export(user) for name, export, _erase in PERSON_DATA})
    return data


def erase_person(user: User) -> None:
    """Anonymise a person and blank what they wrote; their numbers keep counting."""
    now = utcnow()
    old_username = user.username
    user.username = f"erased-{user.id}"
    user.display_name = f"Peserta {user.id} (dihapus)"
    user.email = user.phone = user.password_hash = user.locale = None
    user.active, user.erased_at = False, now
    db.session.execute(sa.update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)).values(revoked_at=now))
    db.session.execute(sa.delete(ActivationCode).where(ActivationCode.user_id == user.id))
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key.in_(
        [f"account:{old_username}", f"account:activate:{old_username}"])))
    for attempt in db.session.scalars(sa.select(Attempt).where(Attempt.user_id == user.id)):
        attempt.answers = _blank_free_text(attempt)
    db.session.execute(sa.update(ActionPlan).where(ActionPlan.user_id == user.id).values(
        activities=ERASED_TEXT, target=ERASED_TEXT, timeline=ERASED_TEXT, support_needed=ERASED_TEXT))
    db.session.execute(sa.update(PracticeEntry).where(PracticeEntry.user_id == user.id).values(
        description=ERASED_TEXT, mentor_comment=""))  # a mentor's comment may quote the entry
    # Notes an observer wrote about other players; the ticks keep counting.
    db.session.execute(sa.update(RunObservation).where(RunObservation.observer_id == user.id).values(
        notes={}))
    for _name, _export, erase in PERSON_DATA:
        erase(user)
    db.session.flush()


def _blank_free_text(attempt: Attempt) -> dict:
    questions = attempt.version.definition["questions"]
    answers = dict(attempt.answers or {})
    for key, value in answers.items():
        if questions[int(key)]["type"] in ("essay", "short") and value:
            answers[key] = ERASED_TEXT
    return answers
