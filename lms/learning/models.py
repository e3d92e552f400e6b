"""Tracks, modules and a trainee's reading progress."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.content.models import ContentItem
from lms.extensions import db
from lms.timeutil import utcnow


class Track(ContentItem, db.Model):
    """A curriculum (e.g. Paralegal Komunitas): ordered modules plus a pre- and post-test."""

    __tablename__ = "tracks"

    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    pretest_slug: Mapped[str | None] = mapped_column(sa.String(100))
    posttest_slug: Mapped[str | None] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(default=0)


class Module(ContentItem, db.Model):
    """One training module, rendered to sanitised HTML at sync time."""

    __tablename__ = "modules"

    track_slug: Mapped[str] = mapped_column(sa.String(100), index=True)
    order: Mapped[int] = mapped_column(default=0)
    duration_minutes: Mapped[int | None]
    methods: Mapped[list] = mapped_column(sa.JSON, default=list)
    objectives: Mapped[list] = mapped_column(sa.JSON, default=list)
    quiz_slug: Mapped[str | None] = mapped_column(sa.String(100))
    case_slugs: Mapped[list] = mapped_column(sa.JSON, default=list)
    roleplay_slugs: Mapped[list] = mapped_column(sa.JSON, default=list)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    word_count: Mapped[int] = mapped_column(default=0)


class ModuleProgress(db.Model):
    """That a user has read a module. Keyed by module slug so re-syncs never break it."""

    __tablename__ = "module_progress"
    __page_owner__ = "user_id"   # shows on that person's own pages (lms.core.page_stamps)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(sa.String(100))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("user_id", "module_slug"),)
