"""Certification rules per cohort, the names trainees consent to print, and certificates."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.timeutil import utcnow

# The defaults every cohort starts with (0 switches a minimum off).
DEFAULT_RULES = {"modules": True, "post_test_min": 70, "attendance_min": 80, "roleplays_min": 1,
                 "rtl": True, "practice_min": 3}


class CertificationRules(db.Model):
    """A cohort's certification rules. No row: the defaults, version 1."""

    __tablename__ = "certification_rules"

    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    modules: Mapped[bool] = mapped_column(default=True)          # every required module complete
    post_test_min: Mapped[int] = mapped_column(default=70)       # percent, 0: off
    attendance_min: Mapped[int] = mapped_column(default=80)      # percent, 0: off
    roleplays_min: Mapped[int] = mapped_column(default=1)        # role-play runs, 0: off
    rtl: Mapped[bool] = mapped_column(default=True)              # RTL approved
    practice_min: Mapped[int] = mapped_column(default=3)         # signed-off entries, 0: off
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in DEFAULT_RULES}


class PrintedName(db.Model):
    """The name a trainee consents to have printed on their certificates (e.g. a legal name)."""

    __tablename__ = "printed_names"
    __page_owner__ = "user_id"   # shows on that person's own pages (lms.core.page_stamps)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    set_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)


class Certificate(db.Model):
    """A certificate: what was true when it was issued, frozen; revocable, never deleted."""

    __tablename__ = "certificates"
    __page_owner__ = "user_id"   # shows on that person's own pages (lms.core.page_stamps)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public code (secrets.token_urlsafe(24): 192 bits); also the bit in the status list.
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    printed_name: Mapped[str] = mapped_column(sa.String(120))
    organisation_name: Mapped[str] = mapped_column(sa.String(200))
    cohort_name: Mapped[str] = mapped_column(sa.String(120))
    track_slug: Mapped[str] = mapped_column(sa.String(100))
    track_title: Mapped[str] = mapped_column(sa.String(200))
    cohort_starts_on: Mapped[str | None] = mapped_column(sa.String(10))   # ISO dates, as printed
    cohort_ends_on: Mapped[str | None] = mapped_column(sa.String(10))
    modules: Mapped[list] = mapped_column(sa.JSON, default=list)         # titles, in track order
    rules_version: Mapped[int]
    rules: Mapped[dict] = mapped_column(sa.JSON)        # the rules as they were
    facts: Mapped[list] = mapped_column(sa.JSON)        # each rule's numbers and whether met
    exception_reason: Mapped[str | None] = mapped_column(sa.Text)   # set when a rule was not met
    issued_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)
    revoked_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    # Certifying twice makes no second certificate.
    __table_args__ = (sa.UniqueConstraint("cohort_id", "user_id"),)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
