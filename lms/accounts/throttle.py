"""Sign-in throttling: a fixed window of failures per account and per address.

Rules take `now` so they are tested without waiting; they flush, never commit.
"""
from datetime import datetime, timedelta

from lms.accounts.models import LoginThrottle
from lms.extensions import db


def account_key(username: str) -> str:
    return f"account:{username.strip().lower()}"


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def _current(key: str, now: datetime, window: timedelta) -> LoginThrottle | None:
    row = db.session.get(LoginThrottle, key)
    if row is not None and now - row.window_started_at >= window:
        row.failures = 0
        row.window_started_at = now
    return row


def seconds_locked(limits: dict[str, int], now: datetime, window: timedelta) -> int:
    """Seconds until sign-in is allowed again for the most restrictive key; 0 when allowed."""
    wait = 0
    for key, limit in limits.items():
        row = _current(key, now, window)
        if row is not None and row.failures >= limit:
            remaining = window - (now - row.window_started_at)
            wait = max(wait, int(remaining.total_seconds()) + 1)
    return wait


def record_failure(keys: list[str], now: datetime, window: timedelta) -> None:
    """Count one failed sign-in against each key."""
    for key in keys:
        row = _current(key, now, window)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_started_at=now)
            db.session.add(row)
        row.failures += 1
    db.session.flush()


def clear(key: str) -> None:
    """Forget failures for a key (after a successful sign-in to that account)."""
    row = db.session.get(LoginThrottle, key)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
