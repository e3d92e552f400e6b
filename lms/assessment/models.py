"""Quizzes and the frozen versions attempts are graded against."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.content.models import ContentItem
from lms.extensions import db
from lms.timeutil import utcnow


class Quiz(ContentItem, db.Model):
    """A quiz, pre-test, post-test or case analysis, as last synced."""

    __tablename__ = "quizzes"

    kind: Mapped[str] = mapped_column(sa.String(16), default="quiz")
    pass_mark: Mapped[int] = mapped_column(default=70)
    max_attempts: Mapped[int] = mapped_column(default=0)
    shuffle: Mapped[bool] = mapped_column(default=False)
    case_html: Mapped[str | None] = mapped_column(sa.Text)
    question_count: Mapped[int] = mapped_column(default=0)


class QuizVersion(db.Model):
    """The full definition of a quiz at one content hash.

    An attempt records the version it was given; re-syncing adds a version and never
    edits an old one, so past attempts keep the questions and answers they were graded on.
    """

    __tablename__ = "quiz_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_slug: Mapped[str] = mapped_column(sa.String(100))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    # Questions as plain data with prompts/feedback already rendered to sanitised HTML.
    definition: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("quiz_slug", "content_hash"),)
