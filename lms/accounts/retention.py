"""Retention: sign-in records and codes are kept only as long as they can matter."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.accounts.models import ActivationCode, LoginSession, LoginThrottle
from lms.extensions import db

# Used or expired codes are kept a little while, so a coordinator can still see that a slip
# was redeemed; after that a hash of a dead code tells nobody anything.
CODE_GRACE = timedelta(days=30)


def purge(now: datetime, session_days: int, throttle_window: timedelta) -> dict[str, int]:
    """Delete what no longer protects anyone; returns how many rows of each kind went."""
    oldest_session = now - timedelta(days=session_days)
    counts = {
        "sign-in sessions": db.session.execute(sa.delete(LoginSession).where(sa.or_(
            LoginSession.revoked_at.is_not(None), LoginSession.created_at <= oldest_session)))
        .rowcount,
        "throttle rows": db.session.execute(sa.delete(LoginThrottle).where(
            LoginThrottle.window_started_at <= now - throttle_window)).rowcount,
        "activation codes": db.session.execute(sa.delete(ActivationCode).where(sa.or_(
            ActivationCode.expires_at <= now - CODE_GRACE,
            ActivationCode.used_at <= now - CODE_GRACE))).rowcount,
    }
    db.session.flush()
    return counts
