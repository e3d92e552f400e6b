"""What every content row shares: a slug, a content hash, where it came from, retirement."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.timeutil import utcnow


class Origin:
    """Where a content row came from. Sync only ever changes or retires rows from files."""

    FILE = "file"          # synced from the content tree
    AUTHORED = "authored"  # written in the browser (e.g. an organisation's role-play)


class ContentItem:
    """Mixin for content rows.

    Rows are never deleted: content removed from disk is retired so that progress and
    attempts that name it by slug keep their meaning.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    origin: Mapped[str] = mapped_column(sa.String(10), default=Origin.FILE,
                                        server_default=Origin.FILE)
    source_path: Mapped[str] = mapped_column(sa.String(300))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


def active_or_404(model, slug: str):
    """The active (not retired) content item with this slug, or a 404."""
    from flask import abort

    from lms.extensions import db
    item = db.session.scalar(sa.select(model).where(model.slug == slug, model.retired_at.is_(None)))
    if item is None:
        abort(404)
    return item
