"""Organisations, the people in them, and their sign-in sessions."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import page_stamps
from lms.core.page_stamps import new_stamp
from lms.extensions import db
from lms.timeutil import utcnow


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


STAFF_ROLES = (Role.FACILITATOR, Role.COORDINATOR, Role.ADMIN)
MANAGER_ROLES = (Role.COORDINATOR, Role.ADMIN)  # create cohorts, enrol, manage people


def is_staff(user) -> bool:
    """Facilitators, coordinators and admins: they see other people's work (within reach)."""
    return getattr(user, "role", None) in STAFF_ROLES


def is_manager(user) -> bool:
    """Coordinators and admins: they run cohorts and people."""
    return getattr(user, "role", None) in MANAGER_ROLES


class Organisation(db.Model):
    """A community organisation that trains its own members (a network chapter, an NGO)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(UserMixin, db.Model):
    """A person who signs in. Email and phone are optional: many trainees have neither to spare."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Trainees may use a pseudonym; nothing requires a legal name.
    display_name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[str] = mapped_column(sa.String(16), default=Role.TRAINEE)
    # Null until the person chooses a password (activation by code, no email needed).
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]
    # Replaced whenever something of this person's own pages changes (lms.core.page_stamps);
    # null (rows written around the ORM) keeps their pages out of the page cache until then.
    page_stamp: Mapped[int | None] = mapped_column(sa.BigInteger, default=new_stamp)

    organisation = relationship("Organisation", lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active and self.erased_at is None

    def has_role(self, *roles: str) -> bool:
        """True when the user holds one of the given roles."""
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class LoginSession(db.Model):
    """One signed-in browser. Logout revokes the row, so a copied cookie stops working."""

    __tablename__ = "login_sessions"
    __page_owner__ = None   # no page shows a sign-in but the sessions page, never kept

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True,
                                       default=lambda: secrets.token_urlsafe(32))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginThrottle(db.Model):
    """Attempts counted per key ('account:NAME', 'address:IP', 'device:NONCE', 'verify:IP')
    within a window (lms/accounts/throttle.py); a successful sign-in gives its attempt back,
    so for sign-in the count is of failures.

    Kept in the database, not in memory, so several app servers share one count.
    """

    __tablename__ = "login_throttles"
    __page_owner__ = None

    key: Mapped[str] = mapped_column(sa.String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActivationCode(db.Model):
    """A one-time code a coordinator hands out instead of an email link.

    Only a hash is stored: the printed slip is the only copy of the code.
    """

    __tablename__ = "activation_codes"
    __page_owner__ = None   # shown on staff pages only, never kept

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


page_stamps.stamp_people_in(User.__table__, User.__table__.c.id, User.__table__.c.page_stamp)
