"""What the content loader returns: plain records for tracks, modules, quizzes, role-plays.

These are the public types of `lms.content.loader`; import them from there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

QUESTION_TYPES = ("single", "multiple", "true_false", "ordering", "matching", "short", "numeric",
                  "essay")
QUIZ_KINDS = ("quiz", "pretest", "posttest", "case")
METHODS = ("presentasi", "tanya-jawab", "diskusi-kelompok", "analisis-kasus", "permainan",
           "role-play")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, with where it is and what to do about it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Track:
    """One entry of modules/tracks.yaml."""

    slug: str
    title: str
    description: str = ""
    pretest: str | None = None
    posttest: str | None = None
    position: int = 0
    path: str = ""
    line: int = 1
    content_hash: str = ""


@dataclass
class Module:
    """A learning module: modules/<slug>.md."""

    slug: str
    title: str
    track: str
    order: int
    duration_minutes: int | None = None
    methods: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    quiz: str | None = None
    cases: list[str] = field(default_factory=list)
    roleplays: list[str] = field(default_factory=list)
    body: str = ""
    path: str = ""
    content_hash: str = ""


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
class Quiz:
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


@dataclass
class Role:
    """One role of a role-play; `secret` is shown only to the person playing it."""

    name: str
    brief: str
    secret: str = ""


@dataclass
class RolePlay:
    """A role-play: roleplays/<slug>.md."""

    slug: str
    title: str
    module: str | None = None
    duration_minutes: int | None = None
    objectives: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    observer_checklist: list[str] = field(default_factory=list)
    debrief: list[str] = field(default_factory=list)
    scenario: str = ""
    path: str = ""
    content_hash: str = ""


@dataclass
class Curriculum:
    """Everything found under a content root, plus every problem found in it."""

    root: Path
    tracks: dict[str, Track] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    roleplays: dict[str, RolePlay] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found, i.e. the content may be synced."""
        return not self.problems
