"""Finding people: by a piece of their username or display name, within an organisation."""
from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import User

MAX_SEARCH = 64


def clean_search(text: str | None) -> str:
    """A search as typed, trimmed and cut to a sane length (it goes into a LIKE)."""
    return " ".join((text or "").split())[:MAX_SEARCH]


def name_or_username_contains(search: str):
    """An SQL condition: the username or display name contains `search`, in any case.

    `%` and `_` are matched literally, so a search for "a_b" finds "a_b", not "axb".
    """
    needle = clean_search(search).lower()
    return sa.or_(sa.func.lower(User.username).contains(needle, autoescape=True),
                  sa.func.lower(User.display_name).contains(needle, autoescape=True))


def organisation_people(org_id: int, search: str = ""):
    """A select of the organisation's people (matching `search`, if any): staff first, then
    by name; the id breaks ties so that pages never repeat or skip anyone."""
    query = sa.select(User).where(User.organisation_id == org_id)
    if clean_search(search):
        query = query.where(name_or_username_contains(search))
    return query.order_by(User.role, User.display_name, User.id)
