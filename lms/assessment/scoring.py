"""Scoring an attempt from its answers. Plain functions over plain data."""
from __future__ import annotations

from dataclasses import dataclass

from lms.assessment.analytics import module_percents
from lms.assessment.question_types import QUESTION_TYPES


@dataclass(frozen=True)
class Score:
    credits: dict[str, float | None]   # per source question index; None = awaiting review
    points: float | None               # None while any essay is unscored
    max_points: float
    percent: float | None
    module_percents: dict[str, float] | None = None   # per tagged module, once complete

    @property
    def complete(self) -> bool:
        return self.points is not None


def score_answers(questions: list[dict], answers: dict, reviewed: dict[str, float] | None = None) -> Score:
    """Score answers against questions; `reviewed` holds facilitator credit for essays."""
    reviewed = reviewed or {}
    credits: dict[str, float | None] = {}
    for index, question in enumerate(questions):
        key = str(index)
        qtype = QUESTION_TYPES[question["type"]]
        if qtype.auto_graded:
            credits[key] = qtype.grade(question, answers.get(key))
        elif key in reviewed:
            credits[key] = reviewed[key]
        elif not qtype.is_answered(answers.get(key)):
            credits[key] = 0.0  # nothing to review: an empty essay earns nothing
        else:
            credits[key] = None
    max_points = float(sum(q["points"] for q in questions))
    if any(c is None for c in credits.values()):
        return Score(credits, None, max_points, None)
    points = sum(q["points"] * credits[str(i)] for i, q in enumerate(questions))
    percent = round(100.0 * points / max_points, 1) if max_points else 0.0
    return Score(credits, round(points, 4), max_points, percent, module_percents(questions, credits))
