"""Role-plays (synced from roleplays/*.md or authored in the browser), their versions, and
live runs with a cohort: participants, observers' ticks and notes."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.content.models import ContentItem, Origin
from lms.extensions import db
from lms.timeutil import utcnow


class RolePlayText:
    """The text of a role-play, the same in the live row and in each frozen version."""

    duration_minutes: Mapped[int | None]
    objectives: Mapped[list] = mapped_column(sa.JSON, default=list)
    # [{"name", "brief_html", "secret_html"}]; secrets are shown only to the role's player.
    roles: Mapped[list] = mapped_column(sa.JSON, default=list)
    observer_checklist: Mapped[list] = mapped_column(sa.JSON, default=list)
    debrief: Mapped[list] = mapped_column(sa.JSON, default=list)
    scenario_html: Mapped[str] = mapped_column(sa.Text, default="")
    # The text as written (Markdown), for editing, duplicating and export.
    source: Mapped[dict | None] = mapped_column(sa.JSON)


class RolePlay(RolePlayText, ContentItem, db.Model):
    """A role-play: a scenario everyone sees, roles with public briefs and secret cards.

    Shipped ones (origin `file`) have no organisation and are read-only. Authored ones belong
    to an organisation; they are drafts until published, and every save of a published one
    is a new `RolePlayVersion`. The columns below always hold the latest text."""

    __tablename__ = "roleplays"

    module_slug: Mapped[str | None] = mapped_column(sa.String(100))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    published_at: Mapped[datetime | None]
    updated_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def authored(self) -> bool:
        return self.origin == Origin.AUTHORED

    @property
    def published(self) -> bool:
        return self.origin == Origin.FILE or self.published_at is not None


class RolePlayVersion(RolePlayText, db.Model):
    """What a role-play said at one moment; runs point at the version they started with."""

    __tablename__ = "roleplay_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    roleplay_id: Mapped[int] = mapped_column(sa.ForeignKey("roleplays.id", ondelete="CASCADE"),
                                             index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(300))
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    roleplay: Mapped[RolePlay] = relationship()

    __table_args__ = (sa.UniqueConstraint("roleplay_id", "number"),)

    @property
    def role_names(self) -> list[str]:
        return [role["name"] for role in self.roles]


class RunState:
    SETUP = "setup"   # groups and roles are being arranged; trainees see nothing yet
    LIVE = "live"
    ENDED = "ended"
    ALL = (SETUP, LIVE, ENDED)


class RolePlayRun(db.Model):
    """One role-play played live by (part of) a cohort, in groups."""

    __tablename__ = "roleplay_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("roleplay_versions.id", ondelete="RESTRICT"))
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(sa.String(8), default=RunState.SETUP)
    group_count: Mapped[int] = mapped_column(default=1)
    # {"1": "notes on group 1", ...}
    debrief_notes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]   # the timer starts here
    ended_at: Mapped[datetime | None]

    version: Mapped[RolePlayVersion] = relationship(lazy="joined")


class RunParticipant(db.Model):
    """A trainee in a run: their group and the role they play (None: they observe)."""

    __tablename__ = "roleplay_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("roleplay_runs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    group_number: Mapped[int]
    role_name: Mapped[str | None] = mapped_column(sa.String(200))

    user = relationship("User", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("run_id", "user_id"),)

    @property
    def observer(self) -> bool:
        return self.role_name is None


class RunObservation(db.Model):
    """What one observer saw: the checklist items ticked and notes per role played."""

    __tablename__ = "roleplay_observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("roleplay_runs.id", ondelete="CASCADE"), index=True)
    observer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    ticks: Mapped[list] = mapped_column(sa.JSON, default=list)   # checklist item indexes
    notes: Mapped[dict] = mapped_column(sa.JSON, default=dict)   # role name -> text
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("run_id", "observer_id"),)
