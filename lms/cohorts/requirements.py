"""What a cohort requires of its trainees: its required modules, and the post-test gate."""
from __future__ import annotations

import sqlalchemy as sa

from lms.assessment.completion import ModuleState, completion_states
from lms.assessment.gates import register_gate
from lms.assessment.models import Quiz
from lms.cohorts.models import Cohort, Enrollment
from lms.extensions import db
from lms.learning.models import Module, Track
from lms.learning.progress import track_modules


def cohort_required_modules(cohort: Cohort, track_modules_read: list[Module] | None = None) -> list[Module]:
    """The cohort's required modules in track order (all active ones when unspecified); from
    the track's active modules when the caller has read them already."""
    modules = track_modules(cohort.track_slug) if track_modules_read is None else track_modules_read
    if cohort.required_module_slugs:
        chosen = set(cohort.required_module_slugs)
        modules = [m for m in modules if m.slug in chosen]
    return modules


def trainee_required_modules(user_id: int, track_slug: str) -> list[Module]:
    """The modules this trainee must complete in a track: the choice of their cohort in that
    track (a cohort that chose modules wins over one that requires all), else all."""
    cohort = db.session.scalar(
        sa.select(Cohort).join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Enrollment.user_id == user_id, Cohort.track_slug == track_slug)
        .order_by(Cohort.required_module_slugs.is_(None)).limit(1))
    return cohort_required_modules(cohort) if cohort else track_modules(track_slug)


def posttest_blockers(user_id: int, quiz: Quiz) -> list[Module]:
    """Required modules still to complete before this post-test opens (empty: it is open)."""
    if quiz.kind != "posttest":
        return []
    track = db.session.scalar(sa.select(Track).where(Track.posttest_slug == quiz.slug))
    if track is None:
        return []
    modules = trainee_required_modules(user_id, track.slug)
    states = completion_states([user_id], modules)
    return [m for m in modules if states[(user_id, m.slug)] != ModuleState.COMPLETE]


register_gate("required-modules", posttest_blockers)
