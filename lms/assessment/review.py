"""Essay review rules: grade an essay against its rubric, regrade it with a reason, keep
the earlier scores, and account for both in the audit log.

Rules flush and never commit; the view's request commits once.
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment.models import Attempt, AttemptStatus, EssayReview, EssayReviewHistory
from lms.assessment.policy import passes
from lms.assessment.scoring import score_answers
from lms.core import audit
from lms.extensions import db
from lms.timeutil import utcnow

COMMENT_MAX = 5000
REASON_MAX = 1000


class ReviewRefused(Exception):
    """The review was not saved: `code` says why ("reason", "unchanged", "scores")."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def review_of(attempt_id: int, index: int) -> EssayReview | None:
    return db.session.scalar(sa.select(EssayReview).where(
        EssayReview.attempt_id == attempt_id, EssayReview.question_index == index))


def history_of(review: EssayReview | None) -> list[EssayReviewHistory]:
    """The scores this essay had before, newest first."""
    if review is None:
        return []
    return list(db.session.scalars(sa.select(EssayReviewHistory).where(
        EssayReviewHistory.review_id == review.id).order_by(EssayReviewHistory.id.desc())))


def check_points(rubric: list[dict], criterion_points: list) -> None:
    """Every criterion has a chosen whole score within its range: no silent zero."""
    if len(criterion_points) != len(rubric) or any(
            not isinstance(p, int) or isinstance(p, bool) or not 0 <= p <= c["points"]
            for p, c in zip(criterion_points, rubric)):
        raise ReviewRefused("scores")


def grade_essay(attempt: Attempt, index: int, criterion_points: list[int], comment: str,
                reviewer_id: int, reason: str | None = None) -> EssayReview:
    """Score an essay, or regrade it: a regrade needs a reason and must change something.

    A regrade copies the score it replaces into the history first. The attempt's score and
    pass are worked out again from every review, with the pass mark frozen in its version.
    """
    question = attempt.version.definition["questions"][index]
    check_points(question["rubric"], criterion_points)
    comment, reason = (comment or "").strip(), (reason or "").strip() or None
    review = review_of(attempt.id, index)
    old_points = list(review.criterion_points) if review else None
    before = (attempt.score_percent, attempt.passed)
    if review is None:
        review = EssayReview(attempt_id=attempt.id, question_index=index)
        db.session.add(review)
        reason = None   # a first grading replaces nothing
    else:
        if reason is None:
            raise ReviewRefused("reason")
        if old_points == list(criterion_points) and review.comment == comment:
            raise ReviewRefused("unchanged")
        db.session.add(EssayReviewHistory(
            review_id=review.id, criterion_points=old_points, comment=review.comment,
            reason=review.reason, reviewer_id=review.reviewer_id, reviewed_at=review.reviewed_at))
    review.criterion_points, review.comment, review.reason = list(criterion_points), comment, reason
    review.reviewer_id, review.reviewed_at = reviewer_id, utcnow()
    db.session.flush()
    rescore(attempt)
    _record(attempt, index, question, old_points, review, before, reviewer_id)
    return review


def rescore(attempt: Attempt) -> None:
    """Credits, score and pass of an attempt from its answers and every essay review; the
    attempt counts as graded once no essay waits (graded_at keeps when that first happened)."""
    definition = attempt.version.definition
    reviews = db.session.scalars(sa.select(EssayReview).where(EssayReview.attempt_id == attempt.id))
    reviewed = {str(r.question_index): sum(r.criterion_points) / definition["questions"][r.question_index]["points"]
                for r in reviews}
    score = score_answers(definition["questions"], attempt.answers, reviewed)
    attempt.credits = score.credits
    if score.complete:
        if attempt.status != AttemptStatus.GRADED:
            attempt.status, attempt.graded_at = AttemptStatus.GRADED, utcnow()
        attempt.score_points, attempt.score_percent = score.points, score.percent
        attempt.module_percents = score.module_percents
        attempt.passed = passes(score.percent, definition["pass_mark"])
    db.session.flush()


def _record(attempt: Attempt, index: int, question: dict, old_points: list | None,
            review: EssayReview, before: tuple, reviewer_id: int) -> None:
    """Who scored which essay, from what to what, and why; never the essay or the comment
    (they are the trainee's and the trainee's feedback, and the log is never erased)."""
    action = "assessment.essay_graded" if old_points is None else "assessment.essay_regraded"
    audit.record(action, f"attempt:{attempt.id}", reviewer_id, {
        "trainee": attempt.user_id, "quiz": attempt.quiz_slug, "question": index,
        "max_points": question["points"],
        "old_points": sum(old_points) if old_points is not None else None,
        "new_points": sum(review.criterion_points),
        "old_criteria": old_points, "new_criteria": list(review.criterion_points),
        "old_percent": before[0], "new_percent": attempt.score_percent,
        "old_passed": before[1], "new_passed": attempt.passed,
        # The reason as a digest: staff may quote the essay in it, and the log outlives
        # the trainee's erasure; the review keeps the text until then.
        "reason_sha256": hashlib.sha256(review.reason.encode()).hexdigest() if review.reason else None},
        # Filed under the trainee and their organisation, so their coordinator reads it too.
        subject_id=attempt.user_id, organisation_id=_organisation_of(attempt.user_id))


def _organisation_of(user_id: int) -> int | None:
    return db.session.scalar(sa.select(User.organisation_id).where(User.id == user_id))
