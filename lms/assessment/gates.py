"""When a pre-test or post-test opens for a trainee."""
from __future__ import annotations

import sqlalchemy as sa

from lms.assessment.models import Quiz
from lms.cohorts.models import Cohort, Enrollment
from lms.extensions import db
from lms.learning.completion import ModuleState, completion_states
from lms.learning.models import Module, Track


def required_modules(user_id: int, track_slug: str) -> list[Module]:
    """The modules this trainee must complete in a track: their cohort's choice, else all."""
    modules = list(db.session.scalars(sa.select(Module).where(
        Module.track_slug == track_slug, Module.retired_at.is_(None)).order_by(Module.order)))
    chosen = db.session.scalar(
        sa.select(Cohort.required_module_slugs).join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Enrollment.user_id == user_id, Cohort.track_slug == track_slug,
               Cohort.required_module_slugs.is_not(None)).limit(1))
    if chosen:
        modules = [m for m in modules if m.slug in set(chosen)]
    return modules


def posttest_blockers(user_id: int, quiz: Quiz) -> list[Module]:
    """Modules still to complete before this post-test opens (empty: it is open)."""
    track = db.session.scalar(sa.select(Track).where(Track.posttest_slug == quiz.slug))
    if quiz.kind != "posttest" or track is None:
        return []
    modules = required_modules(user_id, track.slug)
    states = completion_states([user_id], modules)
    return [m for m in modules if states[(user_id, m.slug)] != ModuleState.COMPLETE]
