"""Reading without a connection: what a track costs to save, and a track as one document.

Plain functions (no request): the offline page, the printable track and the static bundle
(`flask content bundle`) all use them.
"""
from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass

import sqlalchemy as sa

from lms.extensions import db
from lms.learning.models import Module, Track

# What a module page carries besides its own text and stylesheet, gzipped: the header,
# footer, forms and links. Measured on the shipped curriculum; a test keeps the estimate
# within a quarter of the real page.
PAGE_CHROME_BYTES = 1536


@dataclass(frozen=True)
class OfflineModule:
    """A module as the offline page lists it."""

    slug: str
    title: str
    order: int
    bytes: int  # what downloading its page costs, gzipped (an estimate)


def active_track(slug: str) -> Track | None:
    """The active track with this slug, or None."""
    return db.session.scalar(sa.select(Track).where(Track.slug == slug, Track.retired_at.is_(None)))


def track_modules_full(track_slug: str) -> list[Module]:
    """The active modules of a track in order, bodies included (one query)."""
    return list(db.session.scalars(sa.select(Module).where(
        Module.track_slug == track_slug, Module.retired_at.is_(None)).order_by(Module.order)))


@functools.lru_cache(maxsize=4)
def _gzipped_length(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), compresslevel=6))


def estimated_page_bytes(body_html: str, objectives: list[str], stylesheet: str) -> int:
    """Bytes on the wire for a module page: its text and the inline stylesheet gzipped, plus
    the page around them."""
    text = body_html + "".join(objectives)
    return _gzipped_length(text) + _gzipped_length(stylesheet) + PAGE_CHROME_BYTES


def offline_modules(track_slug: str, stylesheet: str) -> list[OfflineModule]:
    """The modules a trainee can save for offline reading, with the data each one costs."""
    rows = db.session.execute(sa.select(
        Module.slug, Module.title, Module.order, Module.body_html, Module.objectives).where(
        Module.track_slug == track_slug, Module.retired_at.is_(None)).order_by(Module.order))
    return [OfflineModule(slug, title, order, estimated_page_bytes(body or "", objectives or [], stylesheet))
            for slug, title, order, body, objectives in rows]
