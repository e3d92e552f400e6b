"""Activation codes: how a trainee without email sets their first (or a new) password."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.accounts.models import ActivationCode, User
from lms.accounts.passwords import hash_password
from lms.core import audit
from lms.extensions import db

# No 0/O, 1/I/L: codes are read off paper slips and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(days=30)


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def new_code() -> str:
    """A random code formatted for reading aloud: XXXX-XXXX."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def code_expiry(issued_at: datetime) -> datetime:
    """When a code issued at this moment stops working (printed on the slip)."""
    return issued_at + CODE_LIFETIME


def live_codes(user_ids: list[int], now: datetime) -> dict[int, datetime]:
    """For each of these people who holds a code that still works (unused, unexpired), its
    expiry: a new code would make it stop working, so the coordinator is asked first."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        sa.select(ActivationCode.user_id, sa.func.max(ActivationCode.expires_at))
        .where(ActivationCode.user_id.in_(user_ids), ActivationCode.used_at.is_(None),
               ActivationCode.expires_at > now)
        .group_by(ActivationCode.user_id))
    return dict(rows.all())


def issue_code(user: User, created_by: int | None, now: datetime) -> str:
    """Give the user a fresh code; earlier unused codes stop working. Returns the code."""
    db.session.execute(sa.update(ActivationCode).where(
        ActivationCode.user_id == user.id, ActivationCode.used_at.is_(None)).values(expires_at=now))
    code = new_code()
    db.session.add(ActivationCode(user_id=user.id, code_hash=_digest(code), created_by=created_by,
                                  created_at=now, expires_at=code_expiry(now)))
    db.session.flush()
    audit.person_action("activation.code_issued", user.id, created_by, user.organisation_id)
    return code


def redeem(username: str, code: str, password: str, now: datetime) -> User | None:
    """Set the password if the code is this user's, unused and unexpired; else None."""
    record = db.session.scalar(
        sa.select(ActivationCode).join(User, User.id == ActivationCode.user_id)
        .where(ActivationCode.code_hash == _digest(code), User.username == username.strip().lower(),
               ActivationCode.used_at.is_(None), ActivationCode.expires_at > now))
    if record is None or not db.session.get(User, record.user_id).is_active:
        return None
    # Conditional update: two taps on the same code activate once.
    used = db.session.execute(sa.update(ActivationCode).where(
        ActivationCode.id == record.id, ActivationCode.used_at.is_(None)).values(used_at=now))
    if used.rowcount != 1:
        return None
    user = db.session.get(User, record.user_id)
    user.password_hash = hash_password(password)
    # A new code is a password reset: every browser signed in before must sign in again.
    from lms.accounts.auth import end_sessions
    end_sessions(user.id)
    db.session.flush()
    return user
