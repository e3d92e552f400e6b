"""Gates: what must happen before a person may start a quiz.

Assessment knows only that gates exist; the domains that know the conditions register
them (cohorts registers "every required module complete before the post-test"), so this
layer never imports the ones above it.
"""
from __future__ import annotations

from collections.abc import Callable

from lms.assessment.models import Quiz

# (user id, quiz) -> the modules (anything with `slug` and `title`) still to complete.
Gate = Callable[[int, Quiz], list]
_GATES: dict[str, Gate] = {}


def register_gate(name: str, gate: Gate) -> None:
    """Add or replace a gate under a name (registering twice keeps one)."""
    _GATES[name] = gate


def start_blockers(user_id: int, quiz: Quiz) -> list:
    """Everything still to do before this person may start this quiz (empty: it is open)."""
    return [blocker for gate in _GATES.values() for blocker in gate(user_id, quiz)]
