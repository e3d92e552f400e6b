"""What the content loader returns: every problem found, and the items of each registered kind.

The items themselves are the domains' own records (`lms.learning.content.ModuleSource`, ...).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, with where it is and what to do about it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Curriculum:
    """Everything found under a content root, plus every problem found in it.

    `items` holds one table (slug -> item) per registered kind; `curriculum.modules` is a
    shorthand for `curriculum.items["modules"]`.
    """

    root: Path
    items: dict[str, dict] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def __getattr__(self, name: str):
        items = self.__dict__.get("items")
        if items is not None and name in items:
            return items[name]
        raise AttributeError(name)

    @property
    def ok(self) -> bool:
        """True when no problem was found, i.e. the content may be synced."""
        return not self.problems
