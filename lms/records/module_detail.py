"""One trainee's record for one module, as staff open it from a cell of the matrix: when it was
read, every attempt at its quiz and case analyses, and each essay with its review state.

Read in a fixed number of queries whatever the number of attempts and essays.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from lms.assessment.attempts import load_versions
from lms.assessment.completion import ModuleState, completion_states, required_quizzes
from lms.assessment.models import Attempt, AttemptStatus, EssayReview, Quiz
from lms.extensions import db
from lms.learning.models import Module, ModuleProgress


@dataclass
class Essay:
    """One essay answer of a submitted attempt and whether a facilitator has scored it."""

    attempt: Attempt
    index: int                       # source question index (as the review page takes it)
    position: int                    # 1-based, as the trainee saw it
    answer: str
    reviewed: bool


@dataclass
class QuizRecord:
    """A quiz or case analysis the module requires, with the trainee's attempts at it."""

    slug: str
    quiz: Quiz | None                # None when the content was removed
    attempts: list[Attempt] = field(default_factory=list)
    essays: list[Essay] = field(default_factory=list)


@dataclass
class ModuleDetail:
    module: Module
    state: ModuleState
    read_at: datetime | None
    quizzes: list[QuizRecord]

    @property
    def essays(self) -> list[Essay]:
        return [e for q in self.quizzes for e in q.essays]


def _essays(attempt: Attempt, reviewed: set[tuple[int, int]]) -> list[Essay]:
    if attempt.status == AttemptStatus.OPEN:
        return []
    questions = attempt.version.definition["questions"]
    order = attempt.layout.get("questions") or list(range(len(questions)))
    return [Essay(attempt, index, position, str(attempt.answers.get(str(index)) or ""),
                  (attempt.id, index) in reviewed or attempt.credits.get(str(index)) is not None)
            for position, index in enumerate(order, start=1) if questions[index]["type"] == "essay"]


def module_detail(user_id: int, module: Module) -> ModuleDetail:
    """What this trainee has done in this module (seven queries)."""
    state = completion_states([user_id], [module])[(user_id, module.slug)]
    read_at = db.session.scalar(sa.select(ModuleProgress.read_at).where(
        ModuleProgress.user_id == user_id, ModuleProgress.module_slug == module.slug))
    slugs = required_quizzes(module)
    records = {slug: QuizRecord(slug, None) for slug in slugs}
    if slugs:
        for quiz in db.session.scalars(sa.select(Quiz).where(Quiz.slug.in_(slugs))):
            records[quiz.slug].quiz = quiz
        attempts = list(db.session.scalars(sa.select(Attempt).where(
            Attempt.user_id == user_id, Attempt.quiz_slug.in_(slugs)).order_by(Attempt.number)))
        load_versions(attempts)
        reviewed = set(tuple(row) for row in db.session.execute(
            sa.select(EssayReview.attempt_id, EssayReview.question_index)
            .where(EssayReview.attempt_id.in_([a.id for a in attempts])))) if attempts else set()
        for attempt in attempts:
            records[attempt.quiz_slug].attempts.append(attempt)
            records[attempt.quiz_slug].essays.extend(_essays(attempt, reviewed))
    return ModuleDetail(module, state, read_at, list(records.values()))
