"""Quizzes as written in quizzes/*.yaml, before they are synced."""
from __future__ import annotations

from dataclasses import dataclass, field

QUIZ_KINDS = ("quiz", "pretest", "posttest", "case")


@dataclass
class Question:
    """One question of a quiz; only the fields of its `type` are filled in."""

    type: str
    prompt: str
    points: int = 1
    module: str | None = None
    explanation: str | None = None
    options: list[dict] = field(default_factory=list)
    shuffle: bool = True  # options of single/multiple questions, per attempt
    answer: bool | None = None
    items: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    value: float | None = None
    tolerance: float = 0.0
    rubric: list[dict] = field(default_factory=list)
    line: int = 1


@dataclass
class QuizSource:
    """A quiz, pretest, posttest or case study: quizzes/<slug>.yaml."""

    slug: str
    title: str
    kind: str = "quiz"
    pass_mark: int = 70
    max_attempts: int = 0
    shuffle: bool = False
    case: str | None = None
    questions: list[Question] = field(default_factory=list)
    path: str = ""
    content_hash: str = ""
    description: str = ""
