"""Question types: how each reads its answer from a form and grades it.

A registry maps the content format's `type` to the class that handles it (the shape CTFd
uses for challenge types). Answers are plain JSON data keyed by *source* indexes, so a
shuffled layout never changes what an answer means.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

Form = Mapping  # werkzeug MultiDict or a dict of lists in tests


def _getlist(form: Form, key: str) -> list[str]:
    if hasattr(form, "getlist"):
        return form.getlist(key)
    value = form.get(key)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def normalise_text(text: str) -> str:
    """Case and extra spaces do not matter in short answers."""
    return " ".join(str(text).split()).casefold()


def parse_number(text: str) -> float | None:
    """Read a number as people type it in Indonesia ('2,5', '1.000,5') or in English ('2.5')."""
    raw = re.sub(r"\s", "", str(text or ""))
    if not raw:
        return None
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


class QuestionType:
    """Base: `parse` reads the answer from the form; `grade` returns the fraction earned."""

    name = ""
    auto_graded = True

    # Typed answers are short by nature; the page's input says so with `maxlength`.
    max_length = 500

    def parse(self, question: dict, form: Form, key: str):
        value = form.get(key)
        return value.strip()[:self.max_length] if isinstance(value, str) and value.strip() else None

    def grade(self, question: dict, answer) -> float | None:
        raise NotImplementedError

    def is_answered(self, answer) -> bool:
        if isinstance(answer, list):
            return any(a is not None for a in answer)
        return answer not in (None, "")


class SingleChoice(QuestionType):
    name = "single"

    def parse(self, question, form, key):
        index = _int_or_none(form.get(key))
        return index if index is not None and 0 <= index < len(question["options"]) else None

    def grade(self, question, answer):
        if answer is None:
            return 0.0
        return 1.0 if question["options"][answer]["correct"] else 0.0


class MultipleChoice(QuestionType):
    name = "multiple"

    def parse(self, question, form, key):
        count = len(question["options"])
        chosen = {_int_or_none(v) for v in _getlist(form, key)}
        return sorted(i for i in chosen if i is not None and 0 <= i < count)

    def grade(self, question, answer):
        """Correct chosen minus wrong chosen, over the number correct, floored at 0."""
        correct = {i for i, o in enumerate(question["options"]) if o["correct"]}
        chosen = set(answer or [])
        earned = len(chosen & correct) - len(chosen - correct)
        return max(0.0, earned / len(correct)) if correct else 0.0


class TrueFalse(QuestionType):
    name = "true_false"

    def parse(self, question, form, key):
        return {"true": True, "false": False}.get(form.get(key))

    def grade(self, question, answer):
        return 1.0 if answer is not None and answer == question["answer"] else 0.0


class Ordering(QuestionType):
    """Each item gets a position (1..n); credit per item in its right place."""

    name = "ordering"

    def parse(self, question, form, key):
        n = len(question["items"])
        positions = [_int_or_none(form.get(f"{key}_{i}")) for i in range(n)]
        return [p if p is not None and 1 <= p <= n else None for p in positions]

    def grade(self, question, answer):
        n = len(question["items"])
        answer = answer or [None] * n
        return sum(1 for i, p in enumerate(answer) if p == i + 1) / n


class Matching(QuestionType):
    """Each left-hand item gets a right-hand partner; credit per correct pair."""

    name = "matching"

    def parse(self, question, form, key):
        n = len(question["pairs"])
        chosen = [_int_or_none(form.get(f"{key}_{i}")) for i in range(n)]
        return [c if c is not None and 0 <= c < n else None for c in chosen]

    def grade(self, question, answer):
        n = len(question["pairs"])
        answer = answer or [None] * n
        return sum(1 for i, c in enumerate(answer) if c == i) / n


class ShortAnswer(QuestionType):
    name = "short"

    def grade(self, question, answer):
        if not answer:
            return 0.0
        accepted = {normalise_text(a) for a in question["answers"]}
        return 1.0 if normalise_text(answer) in accepted else 0.0


class Numeric(QuestionType):
    name = "numeric"
    max_length = 50

    def grade(self, question, answer):
        number = parse_number(answer)
        if number is None:
            return 0.0
        # A little slack for floating point: 0.1 + 0.2 must equal 0.3.
        return 1.0 if abs(number - question["value"]) <= question["tolerance"] + 1e-9 else 0.0


class Essay(QuestionType):
    """Scored by a facilitator against the rubric; None until then."""

    name = "essay"
    auto_graded = False

    def parse(self, question, form, key):
        value = form.get(key)
        return value.strip()[:20000] if isinstance(value, str) and value.strip() else None

    def grade(self, question, answer):
        return None


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (SingleChoice(), MultipleChoice(), TrueFalse(), Ordering(), Matching(),
                        ShortAnswer(), Numeric(), Essay())
}
