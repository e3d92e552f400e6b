"""Cohorts, enrolment, facilitators, sessions and attendance. Cohorts point at a track by slug, like progress does."""
from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organisation
from lms.extensions import db
from lms.timeutil import utcnow


class Cohort(db.Model):
    """An angkatan: trainees of one organisation going through one track together."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # By slug, not foreign key: content is re-synced and retired, history must not break.
    track_slug: Mapped[str] = mapped_column(sa.String(100))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # None means every module of the track is required.
    required_module_slugs: Mapped[list | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Every cohort page and list shows the organisation's name: load it with the cohort.
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)


class Enrollment(db.Model):
    """A trainee's place in a cohort."""

    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort: Mapped[Cohort] = relationship()
    user = relationship("User")

    __table_args__ = (sa.UniqueConstraint("cohort_id", "user_id"),)


class CohortFacilitator(db.Model):
    """A facilitator assigned to a cohort; they see only the cohorts they are assigned to."""

    __tablename__ = "cohort_facilitators"

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class TrainingSession(db.Model):
    """A face-to-face or online session of a cohort."""

    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    starts_at: Mapped[time | None]
    topic: Mapped[str] = mapped_column(sa.String(200))
    module_slugs: Mapped[list] = mapped_column(sa.JSON, default=list)
    place: Mapped[str] = mapped_column(sa.String(300), default="")  # a venue or an online link
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttendanceStatus:
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"
    ALL = (PRESENT, EXCUSED, ABSENT)


class Attendance(db.Model):
    """Whether a trainee attended a session."""

    __tablename__ = "attendance"
    __page_owner__ = "user_id"   # shows on that person's own pages (lms.core.page_stamps)

    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    status: Mapped[str] = mapped_column(sa.String(10))
    recorded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
