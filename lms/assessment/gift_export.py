"""Write a quiz in our format as Moodle GIFT text; the public entry is `lms.assessment.gift`.

The output mirrors Moodle's own GIFT export (one answer per tab-indented line, general
feedback last), with `[markdown]` on each prompt because our texts are Markdown; Moodle uses
the prompt's format for the answers and feedback too. Whatever GIFT cannot say is listed in
the notes, and the question is left out rather than exported wrongly.
"""
from __future__ import annotations

import re
from collections.abc import Callable

_ESCAPES = str.maketrans({"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{",
                          "}": "\\}", ":": "\\:", "\n": "\\n", "\r": ""})
# Text that GIFT would read as syntax however it is escaped: no escape exists for these.
_MISREAD = re.compile(r"->|^\s*%-?\d+(?:\.\d+)?%|^\s*\[(?:markdown|html|plain|moodle)\]")
# General feedback is split off before anything else is read, so only a format marker matters.
_MISREAD_FEEDBACK = re.compile(r"^\s*\[(?:markdown|html|plain|moodle)\]")


class _NotExportable(Exception):
    """GIFT cannot express this question; the message says why."""


def escape(text: object) -> str:
    """Text with GIFT's special characters escaped and newlines written as `\\n`."""
    return str(text).translate(_ESCAPES)


def export_gift(quiz: dict) -> tuple[str, list[str]]:
    """GIFT text for a quiz dict loaded from our YAML, and notes on what GIFT cannot hold."""
    notes: list[str] = []
    title = " ".join(str(quiz.get("title", "")).split())
    chunks = [f"// {title} ({quiz.get('slug', '')}): exported from Paralegal LMS"]
    for number, question in enumerate(quiz.get("questions") or [], 1):
        chunk = _export_question(question, number, notes)
        if chunk is not None:
            chunks.append(chunk)
    return "\n\n".join(chunks) + "\n", notes


def _export_question(question: dict, number: int, notes: list[str]) -> str | None:
    kind = question.get("type")
    label = f"question {number} ({kind})"
    writer = _WRITERS.get(kind, _unknown)
    try:
        block = writer(question)
    except _NotExportable as reason:
        notes.append(f"{label} not exported: {reason}")
        return None
    lines = [f"// question {number}"] + _metadata(question, label, notes)
    lines.append(f"[markdown]{escape(question.get('prompt', ''))}{block}")
    return "\n".join(lines)


def _metadata(question: dict, label: str, notes: list[str]) -> list[str]:
    """Comment lines for what GIFT has no place for, so a reader still sees it."""
    lines = []
    if question.get("module"):
        lines.append(f"// module: {question['module']}")
    points = question.get("points", 1)
    if points != 1:
        lines.append(f"// points: {points}")
        notes.append(f"{label}: points ({points}) not exported, GIFT has no points; set the "
                     "question's default mark in Moodle")
    if question.get("rubric"):
        criteria = "; ".join(f"{' '.join(str(item.get('criterion', '')).split())} "
                             f"({item.get('points')})" for item in question["rubric"])
        lines.append(f"// rubric: {criteria}")
        notes.append(f"{label}: rubric not exported (GIFT essays have no rubric); it is "
                     "written as a `// rubric:` comment")
    return lines


def _field(text: object, misread: re.Pattern = _MISREAD) -> str:
    """One text inside an answer block, escaped; refused if GIFT would misread it."""
    text = str(text)
    if misread.search(text):
        raise _NotExportable(f"the text {text!r} would be read as GIFT syntax (`->`, a "
                             "leading %weight% or [format])")
    return escape(text)


def _block(lines: list[str], question: dict) -> str:
    """A multi-line answer block, general feedback (our explanation) last."""
    if question.get("explanation"):
        lines = lines + [f"####{_field(question['explanation'], _MISREAD_FEEDBACK)}"]
    return "{\n" + "".join(f"\t{line}\n" for line in lines) + "}"


def _inline(answer: str, question: dict) -> str:
    """A one-line answer block such as `{TRUE####explanation}`."""
    explanation = question.get("explanation")
    general = f"####{_field(explanation, _MISREAD_FEEDBACK)}" if explanation else ""
    return "{" + answer + general + "}"


def _option(option: dict, marker: str) -> str:
    feedback = option.get("feedback")
    return marker + _field(option["text"]) + (f"#{_field(feedback)}" if feedback else "")


def _single(question: dict) -> str:
    options = question.get("options") or []
    return _block([_option(o, "=" if o.get("correct") else "~") for o in options], question)


def _multiple(question: dict) -> str:
    """Weights that make Moodle score like we do: +1/n per correct option chosen, -1/n per
    wrong one (n = number of correct options); Moodle, like us, never goes below 0."""
    options = question.get("options") or []
    correct = sum(1 for option in options if option.get("correct"))
    if not correct:
        raise _NotExportable("no option is marked correct")
    share = f"{100 / correct:.5f}".rstrip("0").rstrip(".")
    return _block([_option(o, f"~%{share}%" if o.get("correct") else f"~%-{share}%")
                   for o in options], question)


def _true_false(question: dict) -> str:
    if not isinstance(question.get("answer"), bool):
        raise _NotExportable("`answer` is not true or false")
    return _inline("TRUE" if question["answer"] else "FALSE", question)


def _matching(question: dict) -> str:
    pairs = question.get("pairs") or []
    # The right side follows the first `->`, so only the left side must not contain one.
    return _block([f"={_field(left)} -> {escape(right)}" for left, right in pairs], question)


def _short(question: dict) -> str:
    # A bare * is a wildcard in Moodle's short answers; \* matches a literal asterisk.
    answers = [_field(answer).replace("*", "\\*") for answer in question.get("answers") or []]
    if not answers:
        raise _NotExportable("no accepted answers")
    return _block([f"={answer}" for answer in answers], question)


def _numeric(question: dict) -> str:
    value, tolerance = question.get("value"), question.get("tolerance") or 0
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise _NotExportable("`value` is not a number")
    answer = f"#{_number(value)}" + (f":{_number(tolerance)}" if tolerance else "")
    return _inline(answer, question)


def _number(number: float) -> str:
    return f"{number:.12g}"


def _essay(question: dict) -> str:
    return _inline("", question)


def _ordering(question: dict) -> str:
    raise _NotExportable("GIFT has no ordering question type")


def _unknown(question: dict) -> str:
    raise _NotExportable("unknown question type")


_WRITERS: dict[str, Callable[[dict], str]] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "ordering": _ordering,
    "matching": _matching,
    "short": _short,
    "numeric": _numeric,
    "essay": _essay,
}
