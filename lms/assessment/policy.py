"""Attempt policy: how many attempts a quiz allows, what passes, and which attempt counts.

Named like Moodle's `grademethod`, so each place that reads a score says which rule it uses.
"""
from __future__ import annotations

import enum

# Pre- and post-tests measure learning gain: a second try would measure the test instead.
ONE_ATTEMPT_KINDS = ("pretest", "posttest")


class Counting(enum.StrEnum):
    """Which of a person's attempts at a quiz stands for them."""

    BEST = "best"              # the best graded attempt: what a module quiz shows and records
    FIRST_GRADED = "first"     # the first graded attempt: pre/post-tests and item analysis
    ANY_PASSED = "any_passed"  # passed if any graded attempt passed: module completion


def attempt_limit(quiz) -> int:
    """How many attempts the person may start at this quiz; 0 means no limit."""
    return 1 if quiz.kind in ONE_ATTEMPT_KINDS else quiz.max_attempts


def may_start_another(quiz, taken: int) -> bool:
    """Whether someone who has taken `taken` attempts may start one more."""
    limit = attempt_limit(quiz)
    return not limit or taken < limit


def passes(percent: float, pass_mark: int) -> bool:
    """A score passes when it reaches the pass mark (the one frozen with the attempt)."""
    return percent >= pass_mark


def counting_attempt(attempts: list, counting: Counting):
    """The attempt that stands for the person under a policy (None when none is graded).

    For ANY_PASSED this is the best passed attempt, or the best graded one if none passed.
    """
    from lms.assessment.models import AttemptStatus
    graded = [a for a in attempts if a.status == AttemptStatus.GRADED]
    if not graded:
        return None
    if counting == Counting.FIRST_GRADED:
        return min(graded, key=lambda a: a.number)
    if counting == Counting.ANY_PASSED:
        passed = [a for a in graded if a.passed]
        graded = passed or graded
    return max(graded, key=lambda a: (a.score_percent or 0, -a.number))
