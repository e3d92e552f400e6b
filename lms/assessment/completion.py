"""Module completion: read, its quiz passed, its case analyses graded at or above the pass mark.

Computed in bulk for many people and modules with a fixed number of queries, so a cohort
matrix of 1,000 trainees by 25 modules costs the same few queries as one trainee.
"""
from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from lms.assessment.models import Attempt, AttemptStatus
from lms.extensions import db
from lms.learning.models import Module, ModuleProgress


class ModuleState(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    AWAITING_REVIEW = "awaiting_review"
    COMPLETE = "complete"


@dataclass(frozen=True)
class AttemptSummary:
    """What completion needs of a person's attempts at one quiz."""

    passed: bool = False
    awaiting_review: bool = False
    started: bool = False


_NOTHING = AttemptSummary()


def module_state(read: bool, required_quizzes: list[str], summaries: dict[str, AttemptSummary]) -> ModuleState:
    """The state of one module for one person (a plain rule, tested without a database)."""
    return _state(read, [summaries.get(slug, _NOTHING) for slug in required_quizzes])


def _state(read: bool, results: list[AttemptSummary]) -> ModuleState:
    if read and all(r.passed for r in results):
        return ModuleState.COMPLETE
    if any(r.awaiting_review and not r.passed for r in results):
        return ModuleState.AWAITING_REVIEW
    if read or any(r.started for r in results):
        return ModuleState.IN_PROGRESS
    return ModuleState.NOT_STARTED


def required_quizzes(module: Module) -> list[str]:
    """The quiz and case analyses a module requires, by slug."""
    return ([module.quiz_slug] if module.quiz_slug else []) + list(module.case_slugs or [])


def attempt_summaries(user_ids: list[int], quiz_slugs: set[str]) -> dict[tuple[int, str], AttemptSummary]:
    """Per (user, quiz): passed (policy ANY_PASSED), awaiting review, started. One query."""
    if not user_ids or not quiz_slugs:
        return {}
    return summarise_attempts(db.session.execute(
        sa.select(Attempt.user_id, Attempt.quiz_slug, Attempt.status, Attempt.passed)
        .where(Attempt.user_id.in_(user_ids), Attempt.quiz_slug.in_(quiz_slugs))))


def summarise_attempts(rows) -> dict[tuple[int, str], AttemptSummary]:
    """`attempt_summaries` of rows (user id, quiz slug, status, passed) a caller already read."""
    flags: dict[tuple[int, str], dict[str, bool]] = defaultdict(dict)
    for user_id, slug, status, passed in rows:
        f = flags[(user_id, slug)]
        f["started"] = True
        f["passed"] = f.get("passed", False) or (status == AttemptStatus.GRADED and bool(passed))
        f["awaiting_review"] = f.get("awaiting_review", False) or status == AttemptStatus.AWAITING_REVIEW
    return {key: AttemptSummary(**f) for key, f in flags.items()}


def completion_states(user_ids: list[int], modules: list[Module]) -> dict[tuple[int, str], ModuleState]:
    """State of each (user, module slug), in two queries whatever the sizes."""
    slugs = [m.slug for m in modules]
    read = set()
    if user_ids and slugs:
        read = set(tuple(row) for row in db.session.execute(
            sa.select(ModuleProgress.user_id, ModuleProgress.module_slug)
            .where(ModuleProgress.user_id.in_(user_ids), ModuleProgress.module_slug.in_(slugs))
        ))
    needed = [(m.slug, required_quizzes(m)) for m in modules]
    summaries = attempt_summaries(user_ids, {q for _slug, qs in needed for q in qs})
    states = {}
    for user_id in user_ids:
        for slug, quizzes in needed:
            results = [summaries.get((user_id, q), _NOTHING) for q in quizzes]
            states[(user_id, slug)] = _state((user_id, slug) in read, results)
    return states
