"""Enrolment rules: accounts for new trainees, one by one or from a checked roster."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from lms.accounts.activation import code_expiry, issue_code
from lms.accounts.models import Role, User
from lms.accounts.people import name_or_username_contains
from lms.accounts.person_fields import normalise_display_name, normalise_username
from lms.cohorts.models import Cohort, Enrollment
from lms.core import audit
from lms.extensions import db


def enrol_new_trainee(cohort: Cohort, username: str, display_name: str, phone: str | None,
                      email: str | None, actor_id: int | None = None, how: str = "form") -> User:
    """Create a trainee account (no password yet) in the cohort's organisation and enrol it."""
    user = User(username=normalise_username(username),
                display_name=normalise_display_name(display_name),
                role=Role.TRAINEE, organisation_id=cohort.organisation_id,
                phone=phone or None, email=(email or "").strip().lower() or None)
    db.session.add(user)
    db.session.flush()
    db.session.add(Enrollment(cohort_id=cohort.id, user_id=user.id))
    db.session.flush()
    _log("enrolment.added", user, actor_id, cohort, new_account=True, how=how)
    return user


def _log(action: str, user: User, actor_id: int | None, cohort: Cohort, **data) -> None:
    audit.person_action(action, user.id, actor_id, cohort.organisation_id, cohort=cohort.id, **data)


def import_roster(cohort: Cohort, rows, actor_id: int | None = None) -> list[User]:
    """Create and enrol every row of a checked roster. The caller commits once, so a
    failure anywhere leaves nothing behind."""
    return [enrol_new_trainee(cohort, r.username, r.display_name, r.phone, r.email, actor_id, "import")
            for r in rows]


def pending_activation(cohort: Cohort) -> list[User]:
    """Enrolled trainees who have not chosen a password yet."""
    return list(db.session.scalars(
        sa.select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == cohort.id, User.password_hash.is_(None),
               User.erased_at.is_(None)).order_by(User.display_name)))


@dataclass(frozen=True)
class Slip:
    """What one printed activation slip says. The code exists only here: the database keeps
    its hash."""

    user: User
    code: str
    expires_at: datetime


def issue_codes(users: list[User], created_by: int | None, now: datetime) -> list[Slip]:
    """A fresh activation code for each user, for printing as slips."""
    return [Slip(user, issue_code(user, created_by, now), code_expiry(now)) for user in users]


def cohort_trainees(cohort_id: int) -> list[User]:
    """Enrolled trainees, by display name."""
    return list(db.session.scalars(
        sa.select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == cohort_id).order_by(User.display_name, User.id)))


def enrollable_people(cohort: Cohort, search: str, limit: int = 20) -> list[User]:
    """Trainees of the cohort's organisation, not yet in it, whose username or name contains
    `search` (an existing account joins a second cohort instead of getting a new one)."""
    enrolled = sa.select(Enrollment.user_id).where(Enrollment.cohort_id == cohort.id)
    return list(db.session.scalars(
        sa.select(User).where(User.organisation_id == cohort.organisation_id,
                              User.role == Role.TRAINEE, User.erased_at.is_(None),
                              User.id.not_in(enrolled), name_or_username_contains(search))
        .order_by(User.display_name).limit(limit)))


def enrol_existing(cohort: Cohort, user: User, actor_id: int | None = None) -> bool:
    """Add an account of the cohort's organisation to the cohort; False if already in it."""
    if user.organisation_id != cohort.organisation_id or user.role != Role.TRAINEE:
        raise ValueError("only trainees of the cohort's organisation can be enrolled")
    exists = db.session.scalar(sa.select(Enrollment.id).where(
        Enrollment.cohort_id == cohort.id, Enrollment.user_id == user.id))
    if exists:
        return False
    db.session.add(Enrollment(cohort_id=cohort.id, user_id=user.id))
    db.session.flush()
    _log("enrolment.added", user, actor_id, cohort, new_account=False)
    return True


def remove_from_cohort(cohort: Cohort, user: User, actor_id: int | None = None) -> bool:
    """Take a person out of a cohort; their attempts, attendance, RTL and practice stay.
    False when they were not in it."""
    removed = db.session.execute(sa.delete(Enrollment).where(Enrollment.cohort_id == cohort.id,
                                                             Enrollment.user_id == user.id)).rowcount
    db.session.flush()
    if removed:
        _log("enrolment.removed", user, actor_id, cohort)
    return bool(removed)
