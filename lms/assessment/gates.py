"""When a pre-test or post-test opens for a trainee."""
from __future__ import annotations

import sqlalchemy as sa

from lms.assessment.models import Quiz
from lms.cohorts.matrix import required_modules as cohort_required_modules
from lms.cohorts.matrix import track_modules
from lms.cohorts.models import Cohort, Enrollment
from lms.extensions import db
from lms.learning.completion import ModuleState, completion_states
from lms.learning.models import Module, Track


def required_modules(user_id: int, track_slug: str) -> list[Module]:
    """The modules this trainee must complete in a track: their cohort's choice, else all."""
    cohort = db.session.scalar(
        sa.select(Cohort).join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Enrollment.user_id == user_id, Cohort.track_slug == track_slug)
        .order_by(Cohort.required_module_slugs.is_(None)).limit(1))
    return cohort_required_modules(cohort) if cohort else track_modules(track_slug)


def posttest_blockers(user_id: int, quiz: Quiz) -> list[Module]:
    """Modules still to complete before this post-test opens (empty: it is open)."""
    track = db.session.scalar(sa.select(Track).where(Track.posttest_slug == quiz.slug))
    if quiz.kind != "posttest" or track is None:
        return []
    modules = required_modules(user_id, track.slug)
    states = completion_states([user_id], modules)
    return [m for m in modules if states[(user_id, m.slug)] != ModuleState.COMPLETE]
