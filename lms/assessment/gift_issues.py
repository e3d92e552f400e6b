"""What reading GIFT reports (see lms.assessment.gift_parse): issues with their line, syntax
errors, skipped questions, and the notes kept while one question is read."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GiftIssue:
    """One question that was skipped, or mapped with a loss, and where it starts."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class GiftSyntaxError(ValueError):
    """The GIFT text is malformed; `line` is where the offending question starts."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class Skip(Exception):
    """A well-formed question our format cannot hold; the message says why."""


class Notes:
    """Warnings about one question; kept only if the question is mapped."""

    def __init__(self, line: int):
        self.line = line
        self.issues: list[GiftIssue] = []
        self.format = "moodle"  # the prompt's; answers without a [format] marker inherit it

    def warn(self, message: str) -> None:
        issue = GiftIssue(self.line, message)
        if issue not in self.issues:  # e.g. one HTML warning per question, not per answer
            self.issues.append(issue)

    def error(self, message: str) -> GiftSyntaxError:
        return GiftSyntaxError(self.line, message)
