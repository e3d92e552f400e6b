"""A GIFT numeric answer block `{#...}` read as our numeric question (see
lms.assessment.gift_parse): one full-credit answer is kept, as value and tolerance."""
from __future__ import annotations

import math
from dataclasses import dataclass

from lms.assessment.gift_issues import Notes, Skip
from lms.assessment.gift_text import percent, read_answer, read_weight


def read_numeric(body: str, notes: Notes) -> tuple[str, dict]:
    """`{#3}`, `{#3:0.5}`, `{#1..5}` or `{# =3:0 =%50%3:1 ~#feedback}` (without the `#`
    that marks the block as numeric): one full-credit answer is kept."""
    body, tilde, wrong = body.partition("~")
    if tilde and read_answer(wrong, notes)[1]:
        notes.warn("wrong-answer feedback dropped: our numeric questions have no feedback")
    parts = [part.strip() for part in body.split("=")]
    parts = parts[1:] if not parts[0] else parts
    if not parts:
        raise notes.error("numeric answer block `{#...}` has no number")
    answers = [_numeric_answer(part, notes) for part in parts]
    full = [answer for answer in answers if answer.weight >= 100]
    if not full:
        raise Skip("numeric question has no full-credit answer")
    chosen = full[0]
    others = [f"{answer.text} ({percent(answer.weight)})" for answer in answers
              if answer is not chosen]
    if others:
        notes.warn("other numeric answers dropped (we keep one full-credit answer): "
                   + ", ".join(others))
    if any(answer.feedback for answer in answers):
        notes.warn("answer feedback dropped: our numeric questions have no feedback")
    return "numeric", {"value": chosen.value, "tolerance": chosen.tolerance}


@dataclass
class _NumericAnswer:
    weight: float
    value: float | int
    tolerance: float | int
    feedback: str
    text: str


def _numeric_answer(part: str, notes: Notes) -> _NumericAnswer:
    """One answer of a numeric block: `3`, `3:0.5` or `1..5`, maybe weighted."""
    weight, part = read_weight(part, 100.0)
    text, feedback = read_answer(part, notes)
    if ".." in text:
        low, high = (_number(side, notes) for side in text.split("..", 1))
        if low > high:
            raise notes.error(f"numeric range {text!r} has its minimum above its maximum")
        value, tolerance = (low + high) / 2, (high - low) / 2
    else:
        value_text, _, tolerance_text = text.partition(":")
        value, tolerance = _number(value_text, notes), _number(tolerance_text or "0", notes)
    if tolerance < 0:
        raise notes.error(f"numeric answer {text!r} has a negative tolerance")
    return _NumericAnswer(weight, _tidy(value), _tidy(tolerance), feedback, text)


def _number(text: str, notes: Notes) -> float:
    try:
        number = float(text.strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise notes.error(f"numeric answer {text.strip()!r} is not a number")
    return number


def _tidy(number: float) -> float | int:
    """1.5 stays 1.5, 3.0 becomes 3, and (0.1 + 0.3) / 2 loses its binary noise."""
    number = float(f"{number:.12g}")
    return int(number) if number.is_integer() else number
