"""What a person's page shows to the people who manage them: their cohorts with the progress
records gathers for each, the cohorts they facilitate, their latest attempts, their sign-in
state, and the sections domains above records add (certification: certificates).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from lms.accounts.activation import live_codes
from lms.accounts.auth import active_sessions
from lms.accounts.models import User
from lms.assessment.models import Attempt, AttemptStatus, Quiz
from lms.cohorts.models import Cohort, CohortFacilitator, Enrollment
from lms.extensions import db
from lms.records.facts import TraineeFacts, cohort_facts
from lms.timeutil import utcnow

RECENT_ATTEMPTS = 10

# Domains above records add a section to the person page here (records may not import them):
# (template, load) where load(user) returns the template's `section` variable.
PERSON_SECTIONS: list[tuple[str, Callable[[User], object]]] = []


def register_person_section(template: str, load: Callable[[User], object]) -> None:
    if template not in {t for t, _load in PERSON_SECTIONS}:
        PERSON_SECTIONS.append((template, load))


@dataclass
class CohortProgress:
    """One cohort the person is enrolled in, with their facts there."""

    cohort: Cohort
    facts: TraineeFacts
    modules_required: int


@dataclass
class RecentAttempt:
    attempt: Attempt
    quiz_title: str

    @property
    def submitted(self) -> bool:
        return self.attempt.status != AttemptStatus.OPEN


@dataclass
class PersonOverview:
    user: User
    cohorts: list[CohortProgress] = field(default_factory=list)
    facilitates: list[Cohort] = field(default_factory=list)
    attempts: list[RecentAttempt] = field(default_factory=list)
    code_expires_at: datetime | None = None   # a code that still works, if any
    signed_in_on: int = 0                     # live sign-in sessions
    sections: list[tuple[str, object]] = field(default_factory=list)


def _enrolled_cohorts(user_id: int) -> list[Cohort]:
    return list(db.session.scalars(
        sa.select(Cohort).join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Enrollment.user_id == user_id)
        .order_by(Cohort.starts_on.desc().nulls_last(), Cohort.name)))


def _facilitated_cohorts(user_id: int) -> list[Cohort]:
    return list(db.session.scalars(
        sa.select(Cohort).join(CohortFacilitator, CohortFacilitator.cohort_id == Cohort.id)
        .where(CohortFacilitator.user_id == user_id).order_by(Cohort.name)))


def recent_attempts(user_id: int, limit: int = RECENT_ATTEMPTS) -> list[RecentAttempt]:
    """The person's latest attempts, newest first, with the quiz's title (its slug if the
    quiz is no longer there)."""
    when = sa.func.coalesce(Attempt.submitted_at, Attempt.started_at)
    rows = db.session.execute(
        sa.select(Attempt, Quiz.title).outerjoin(Quiz, Quiz.slug == Attempt.quiz_slug)
        .where(Attempt.user_id == user_id).order_by(when.desc(), Attempt.id.desc()).limit(limit))
    return [RecentAttempt(attempt, title or attempt.quiz_slug) for attempt, title in rows]


def person_overview(user: User) -> PersonOverview:
    """Everything the person page shows; a fixed number of queries per cohort."""
    overview = PersonOverview(user=user)
    for cohort in _enrolled_cohorts(user.id):
        facts = cohort_facts(cohort, [user])
        overview.cohorts.append(CohortProgress(cohort, facts.trainees[0], len(facts.modules)))
    overview.facilitates = _facilitated_cohorts(user.id)
    overview.attempts = recent_attempts(user.id)
    overview.code_expires_at = live_codes([user.id], utcnow()).get(user.id)
    overview.signed_in_on = len(active_sessions(user.id))
    overview.sections = [(template, load(user)) for template, load in PERSON_SECTIONS]
    return overview
