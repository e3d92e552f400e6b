"""RTL plans and field-practice log entries."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.timeutil import utcnow


class ReviewState:
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class ActionPlan(db.Model):
    """A trainee's follow-up action plan (Rencana Tindak Lanjut) for one cohort."""

    __tablename__ = "action_plans"
    __page_owner__ = "user_id"   # shows on that person's own pages (lms.core.page_stamps)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    activities: Mapped[str] = mapped_column(sa.Text, default="")
    target: Mapped[str] = mapped_column(sa.Text, default="")
    timeline: Mapped[str] = mapped_column(sa.Text, default="")
    support_needed: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[str] = mapped_column(sa.String(12), default=ReviewState.DRAFT)
    reviewer_comment: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("cohort_id", "user_id"),)


class PracticeKind:
    ALL = ("hotline", "accompaniment", "outreach", "referral", "community_session")


class PracticeEntry(db.Model):
    """One field-practice activity, signed off by a mentor (a facilitator of the cohort)."""

    __tablename__ = "practice_entries"
    __page_owner__ = "user_id"   # shows on that person's own pages (lms.core.page_stamps)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    done_on: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(24))
    description: Mapped[str] = mapped_column(sa.Text)
    signed_off_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    signed_off_at: Mapped[datetime | None]
    # A mentor may return an entry with a comment instead of signing it; the trainee edits
    # it, which sends it back for sign-off.
    mentor_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    returned_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # A cohort's entries (the cohort page's counts, the mentor's queue) without a scan of every
    # cohort's: 18,000 entries at 10,000 trainees.
    __table_args__ = (sa.Index("ix_practice_entries_cohort_id", "cohort_id", "user_id"),)
