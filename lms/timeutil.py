"""Time helpers: every stored timestamp is naive UTC, the same on SQLite and PostgreSQL."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now in UTC without tzinfo (SQLite keeps no zone; mixing aware and naive breaks compares)."""
    return datetime.now(UTC).replace(tzinfo=None)
