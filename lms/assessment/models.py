"""Quizzes and the frozen versions attempts are graded against."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.content.models import ContentItem
from lms.core.partial_indexes import partial
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
    description_html: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
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


class AttemptStatus:
    OPEN = "open"                        # answers are drafts, can still change
    AWAITING_REVIEW = "awaiting_review"  # submitted; essays wait for a facilitator
    GRADED = "graded"                    # submitted and fully scored


class Attempt(db.Model):
    """One try at a quiz by one person.

    It records the quiz version it was given and, when the quiz shuffles, the order of
    questions and options, so re-syncing content never changes a past attempt or its score.
    """

    __tablename__ = "attempts"
    __page_owner__ = "user_id"   # shows on that person's own pages (lms.core.page_stamps)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    quiz_slug: Mapped[str] = mapped_column(sa.String(100), index=True)
    quiz_version_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_versions.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    number: Mapped[int]  # 1 for the first attempt of this user at this quiz
    status: Mapped[str] = mapped_column(sa.String(20), default=AttemptStatus.OPEN)
    # {"questions": [source index, ...], "options": {"<source index>": [option index, ...]}}
    layout: Mapped[dict] = mapped_column(sa.JSON)
    # Drafts and final answers keyed by source question index (as a string).
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Per source question index: fraction of its points earned (None while awaiting review).
    credits: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Percent earned per module its questions are tagged with, stored with the score when it
    # is graded (and again when an essay is regraded): a group's learning gain reads it for
    # every pre- and post-test in the cohort, rather than adding up credits per question at
    # every view. None before grading, and on attempts graded before it was kept (gain then
    # works it out from the credits). Stored None is SQL NULL, which that query tests for.
    module_percents: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    score_points: Mapped[float | None]
    max_points: Mapped[float | None]
    score_percent: Mapped[float | None]
    passed: Mapped[bool | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    graded_at: Mapped[datetime | None]

    version: Mapped[QuizVersion] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("user_id", "quiz_slug", "number"),
        # At most one open attempt per person and quiz, even when two tabs start at once.
        partial(sa.Index("uq_attempts_one_open", "user_id", "quiz_slug", unique=True), sa.text("status = 'open'")),
        # Completion masks read each trainee's quizzes, statuses and passes: from the index
        # alone, without visiting the rows and their answers' JSON.
        sa.Index("ix_attempts_completion", "user_id", "quiz_slug", "status", "passed"),
        # The review queue and the staff home's count: the attempts awaiting review among an
        # organisation's trainees, not every attempt of each (35 -> 2 ms at 10,000 trainees).
        sa.Index("ix_attempts_status_user", "status", "user_id"),
    )

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN


class EssayReview(db.Model):
    """A facilitator's scores per rubric criterion and comment for one essay answer."""

    __tablename__ = "essay_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id", ondelete="CASCADE"))
    question_index: Mapped[int]
    criterion_points: Mapped[list] = mapped_column(sa.JSON)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    # Why this score replaced an earlier one; None for the first grading.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_index"),)


class EssayReviewHistory(db.Model):
    """A score an essay had before it was regraded, kept as it was (never edited).

    The review row always holds the score that counts; each regrade first copies the old
    one here, so the trainee and the facilitators can see what changed, when and why.
    """

    __tablename__ = "essay_review_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("essay_reviews.id", ondelete="CASCADE"),
                                           index=True)
    criterion_points: Mapped[list] = mapped_column(sa.JSON)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str | None] = mapped_column(sa.Text)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)
