"""Role-plays as synced from roleplays/*.md."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.content.models import ContentItem
from lms.extensions import db


class RolePlay(ContentItem, db.Model):
    """A role-play: a scenario everyone sees, roles with public briefs and secret cards."""

    __tablename__ = "roleplays"

    module_slug: Mapped[str | None] = mapped_column(sa.String(100))
    duration_minutes: Mapped[int | None]
    objectives: Mapped[list] = mapped_column(sa.JSON, default=list)
    # [{"name", "brief_html", "secret_html"}]; secrets are shown only to the role's player.
    roles: Mapped[list] = mapped_column(sa.JSON, default=list)
    observer_checklist: Mapped[list] = mapped_column(sa.JSON, default=list)
    debrief: Mapped[list] = mapped_column(sa.JSON, default=list)
    scenario_html: Mapped[str] = mapped_column(sa.Text, default="")
