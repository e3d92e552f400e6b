"""Throttling of guesses (sign-in, activation codes, public certificate checks).

A fixed window of attempts per key ('account:NAME', 'address:IP', 'device:NONCE',
'verify:IP'). Counts live in the database, never in a process, so every app server shares
them. A guess is counted *before* it is checked, by one atomic statement
(INSERT ... ON CONFLICT DO UPDATE ... RETURNING, on SQLite and PostgreSQL alike) committed
at once in a transaction of its own: parallel guesses cannot all read the same old count, the
count holds when the request's answer (401, 429) rolls the rest back, and no row stays locked
while the password is hashed. A successful sign-in gives its attempt back (`forgive`).

Rules take `now` so they are tested without waiting.
"""
from datetime import datetime, timedelta
from importlib import import_module

import sqlalchemy as sa

from lms.accounts.models import LoginThrottle
from lms.core.transaction import apart
from lms.extensions import db


def account_key(username: str) -> str:
    return f"account:{username.strip().lower()}"


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def device_key(nonce: str) -> str:
    return f"device:{nonce}"


def _count_one(connection, key: str, now: datetime, window: timedelta) -> tuple[int, datetime]:
    table = LoginThrottle.__table__
    when = table.c.window_started_at
    expired = when <= now - window
    # The dialect's own INSERT (for ON CONFLICT), imported by name: a worker loads only its own.
    insert = import_module(f"sqlalchemy.dialects.{connection.dialect.name}").insert
    stmt = insert(table).values(key=key, failures=1, window_started_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.key], set_={
        # Both right-hand sides see the row as it was (SQL's rule for SET).
        "failures": sa.case((expired, 1), else_=table.c.failures + 1),
        "window_started_at": sa.case((expired, sa.literal(now, when.type)), else_=when),
    }).returning(table.c.failures, when)
    count, started = connection.execute(stmt).one()
    return count, started


def hit(limits: dict[str, int], now: datetime, window: timedelta) -> int:
    """Count one attempt against every key; the seconds to wait when any key is now past its
    limit (the attempt must then not be checked), else 0."""
    wait = 0
    with apart() as connection:
        # Keys in one order, so two requests never hold each other's rows crosswise.
        for key in sorted(limits):
            count, started = _count_one(connection, key, now, window)
            if count > limits[key]:
                remaining = started + window - now
                wait = max(wait, int(remaining.total_seconds()) + 1)
    return wait


def forgive(clear: list[str], give_back: list[str]) -> None:
    """After a success: forget the keys in `clear` (this account or device got in) and give
    back the attempt counted against each of `give_back` (the address), in the request's
    transaction, so a sign-in that fails later keeps its count."""
    if clear:
        db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key.in_(clear)))
    if give_back:
        db.session.execute(sa.update(LoginThrottle)
                           .where(LoginThrottle.key.in_(give_back), LoginThrottle.failures > 0)
                           .values(failures=LoginThrottle.failures - 1))
    db.session.flush()

