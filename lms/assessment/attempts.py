"""Attempt rules: start or resume, save drafts, submit once (essay review: `review.py`).

Rules flush and never commit; the view commits once per request.
"""
from __future__ import annotations

import random
import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from lms.assessment.models import Attempt, AttemptStatus, Quiz, QuizVersion
from lms.assessment.policy import Counting, counting_attempt, may_start_another, passes
from lms.assessment.scoring import score_answers
from lms.extensions import db
from lms.timeutil import utcnow

QUESTIONS_PER_PAGE = 5


class AttemptRefused(Exception):
    """The person may not start this quiz now; `reason` is a translatable message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def make_layout(definition: dict, seed: int) -> dict:
    """Freeze what the attempt shows: question order, option order, item and partner order.

    Options are shuffled unless their question keeps its order (`shuffle: false`, for
    options such as "Semua benar"): in file order the key sits first too often for a score
    to mean anything. Ordering items and matching partners are always shuffled (in source
    order they would give the answer away); questions only when the quiz says `shuffle`.
    Versions synced before per-question shuffling follow the quiz's own `shuffle`.
    """
    rng = random.Random(seed)  # noqa: S311 - the layout shown, not a secret
    questions = definition["questions"]
    order = list(range(len(questions)))
    if definition.get("shuffle"):
        rng.shuffle(order)
    layout = {"seed": seed, "questions": order, "options": {}, "items": {}, "partners": {}}
    for index, question in enumerate(questions):
        key = str(index)
        if question["type"] in ("single", "multiple"):
            options = list(range(len(question["options"])))
            if question.get("shuffle", definition.get("shuffle")):
                rng.shuffle(options)
            layout["options"][key] = options
        elif question["type"] == "ordering":
            layout["items"][key] = _shuffled(len(question["items"]), rng)
        elif question["type"] == "matching":
            layout["partners"][key] = _shuffled(len(question["pairs"]), rng)
    return layout


def _shuffled(n: int, rng: random.Random) -> list[int]:
    order = list(range(n))
    rng.shuffle(order)
    if n > 1 and order == list(range(n)):
        order = order[1:] + order[:1]  # never show the answer as the starting order
    return order


def current_version(quiz: Quiz) -> QuizVersion:
    """The stored definition of the quiz as last synced."""
    return db.session.scalar(sa.select(QuizVersion).where(
        QuizVersion.quiz_slug == quiz.slug, QuizVersion.content_hash == quiz.content_hash))


def load_versions(attempts) -> None:
    """Load the quiz versions of many attempts in one query (many attempts share one), so
    `attempt.version` is then answered without a query each.

    Each attempt is handed its version: the session only holds loaded rows weakly, so a
    version merely loaded could be gone again before `attempt.version` asked for it."""
    waiting = [a for a in attempts if "version" in sa.inspect(a).unloaded]
    ids = {a.quiz_version_id for a in waiting}
    if not ids:
        return
    versions = {v.id: v for v in db.session.scalars(sa.select(QuizVersion).where(QuizVersion.id.in_(ids)))}
    for attempt in waiting:
        if attempt.quiz_version_id in versions:
            set_committed_value(attempt, "version", versions[attempt.quiz_version_id])


def open_attempt(user_id: int, quiz_slug: str) -> Attempt | None:
    return db.session.scalar(sa.select(Attempt).where(
        Attempt.user_id == user_id, Attempt.quiz_slug == quiz_slug,
        Attempt.status == AttemptStatus.OPEN))


def attempts_of(user_id: int, quiz_slug: str) -> list[Attempt]:
    """A person's attempts at a quiz, first first."""
    return list(db.session.scalars(sa.select(Attempt).where(
        Attempt.user_id == user_id, Attempt.quiz_slug == quiz_slug).order_by(Attempt.number)))


def start_or_resume(user_id: int, quiz: Quiz) -> Attempt:
    """Return the open attempt, or start a new one if the quiz allows another."""
    existing = open_attempt(user_id, quiz.slug)
    if existing is not None:
        return existing
    taken = len(attempts_of(user_id, quiz.slug))
    if not may_start_another(quiz, taken):
        raise AttemptRefused("no-attempts-left")
    version = current_version(quiz)
    attempt = Attempt(user_id=user_id, quiz_slug=quiz.slug, quiz_version_id=version.id,
                      kind=quiz.kind, number=taken + 1, answers={}, credits={},
                      layout=make_layout(version.definition, secrets.randbelow(2**31)))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another tab started the same attempt a moment ago: use that one.
        existing = open_attempt(user_id, quiz.slug)
        if existing is None:
            raise
        return existing
    return attempt


def page_count(attempt: Attempt) -> int:
    total = len(attempt.layout["questions"])
    return max(1, -(-total // QUESTIONS_PER_PAGE))


def page_indexes(attempt: Attempt, page: int) -> list[int]:
    """Source question indexes shown on a 1-based page."""
    start = (page - 1) * QUESTIONS_PER_PAGE
    return attempt.layout["questions"][start:start + QUESTIONS_PER_PAGE]


def _is_blank(answer) -> bool:
    if answer is None or answer == "" or answer == []:
        return True
    return isinstance(answer, list) and any(part is None for part in answer)


def unanswered(attempt: Attempt, answers: dict) -> list[tuple[int, int]]:
    """(question number as shown, page) of every question left blank or half answered."""
    order = attempt.layout["questions"]
    return [(position + 1, position // QUESTIONS_PER_PAGE + 1)
            for position, index in enumerate(order) if _is_blank(answers.get(str(index)))]


def merged_answers(attempt: Attempt, new_answers: dict) -> dict:
    merged = dict(attempt.answers or {})
    merged.update(new_answers)
    return merged


def save_draft(attempt: Attempt, new_answers: dict) -> bool:
    """Store answers of an open attempt; False (nothing saved) once it was submitted."""
    result = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.OPEN)
        .values(answers=merged_answers(attempt, new_answers), updated_at=utcnow())
        .execution_options(page_owners=(attempt.user_id,)))
    return result.rowcount == 1


def submit(attempt: Attempt, new_answers: dict, pass_mark: int) -> bool:
    """Finish the attempt exactly once; True if this call finished it.

    One conditional UPDATE decides: a double tap or a second tab finds the attempt no
    longer open and changes nothing, on SQLite and PostgreSQL alike.
    """
    answers = merged_answers(attempt, new_answers)
    score = score_answers(attempt.version.definition["questions"], answers)
    now = utcnow()
    values = {"answers": answers, "credits": score.credits, "max_points": score.max_points,
              "submitted_at": now, "updated_at": now}
    if score.complete:
        values.update(status=AttemptStatus.GRADED, score_points=score.points, score_percent=score.percent,
                      module_percents=score.module_percents, passed=passes(score.percent, pass_mark),
                      graded_at=now)
    else:
        values.update(status=AttemptStatus.AWAITING_REVIEW)
    result = db.session.execute(
        sa.update(Attempt).where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.OPEN)
        .values(**values).execution_options(synchronize_session=False, page_owners=(attempt.user_id,)))
    db.session.expire(attempt)
    return result.rowcount == 1


def best_graded(attempts: list[Attempt]) -> Attempt | None:
    """The attempt a module quiz shows as the person's score (policy BEST)."""
    return counting_attempt(attempts, Counting.BEST)
