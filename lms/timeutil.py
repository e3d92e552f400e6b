"""Time helpers: every stored timestamp is naive UTC, the same on SQLite and PostgreSQL."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Now in UTC without tzinfo (SQLite keeps no zone; mixing aware and naive breaks compares)."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today(timezone: str) -> date:
    """Today's date where the people are (Asia/Jakarta by default), not on the server's clock."""
    return datetime.now(ZoneInfo(timezone)).date()
