"""Checking quiz questions as written: the common keys, then one checker per question type.

The type names are those of the grading registry (`question_types.QUESTION_TYPES`), so a
type cannot be checkable without being gradable, or the other way round.
"""
from __future__ import annotations

from collections.abc import Callable

from lms.assessment.question_types import QUESTION_TYPES
from lms.assessment.quiz_source import Question
from lms.content.fields import Fields, FileReport, is_int, is_number, is_text, item_line, repeats, show

COMMON_KEYS = ("type", "prompt", "points", "module", "explanation")
TYPE_KEYS = {
    "single": ("options", "shuffle"),
    "multiple": ("options", "shuffle"),
    "true_false": ("answer",),
    "ordering": ("items",),
    "matching": ("pairs",),
    "short": ("answers",),
    "numeric": ("value", "tolerance"),
    "essay": ("rubric",),
}
QUESTION_KEYS = COMMON_KEYS + ("options", "shuffle", "answer", "items", "pairs", "answers",
                               "value", "tolerance", "rubric")
OPTION_KEYS = ("text", "correct", "feedback")
RUBRIC_KEYS = ("criterion", "points", "anchors")
_TYPE_SPECIFIC = {key for keys in TYPE_KEYS.values() for key in keys}


def parse_questions(seq: list, report: FileReport) -> list[Question]:
    """Check every question of a quiz's `questions` list; return those with a valid type."""
    questions = []
    for index, node in enumerate(seq):
        question = parse_question(node, index + 1, item_line(seq, index, 1), report)
        if question is not None:
            questions.append(question)
    return questions


def parse_question(node: object, number: int, line: int, report: FileReport) -> Question | None:
    """Check one question (numbered from 1 in messages)."""
    where = f"question {number}"
    if not isinstance(node, dict):
        report.problem(line, f"{where} must be a mapping with keys such as `type:` and `prompt:`")
        return None
    fields = Fields(node, report, where)
    fields.check_keys(("type", "prompt"), QUESTION_KEYS)
    qtype = fields.choice("type", tuple(QUESTION_TYPES), None, "question type", required=True)
    question = Question(type=qtype or "", prompt=fields.text("prompt", True, ""),
                        points=fields.integer("points", 1, minimum=1), line=node.line,
                        module=fields.slug("module"), explanation=fields.text("explanation"))
    if question.module:
        report.ref(fields.line("module"), "module", question.module, "module", where=where)
    if qtype is None:
        return None
    _check_foreign_keys(fields, qtype)
    _RULES[qtype](fields, question, number)
    return question


def _check_foreign_keys(fields: Fields, qtype: str) -> None:
    for key in fields.data:
        if key in _TYPE_SPECIFIC and key not in TYPE_KEYS[qtype]:
            fields.problem(key, f"`{key}` is not used by {qtype} questions: remove it")


def _type_list(fields: Fields, key: str, qtype: str, what: str) -> list:
    """The list a question type needs under `key`; [] (reported) when missing or wrong."""
    if key not in fields.data:
        fields.problem(None, f"{qtype} questions need `{key}`: add {what}")
    return fields.sequence(key, required=True) or []


def _say(fields: Fields, line: int, message: str) -> None:
    """Report with an explicit line and an explicit message (no automatic prefix)."""
    fields.report.problem(line, message)


def _choices(fields: Fields, question: Question, number: int) -> None:
    """single and multiple: at least 2 options, unique texts, the right number correct."""
    seq = _type_list(fields, "options", question.type, "a list of at least 2 options")
    lines = [item_line(seq, index, fields.line("options")) for index in range(len(seq))]
    options = [_option(node, number, index, lines[index], fields.report)
               for index, node in enumerate(seq)]
    question.options = [option for option in options if option is not None]
    # Options are shuffled per attempt; only an order that carries meaning ("Semua benar")
    # may be kept, and only for the question that needs it.
    question.shuffle = bool(fields.boolean("shuffle", True))
    if "options" in fields.data and len(seq) < 2:
        fields.problem("options", f"{question.type} questions need at least 2 options, this one "
                                  f"has {len(seq)}: add options")
    texts = [(i, o["text"]) for i, o in enumerate(options) if o is not None and o["text"]]
    for index, first in repeats(texts):
        _say(fields, lines[index], f"question {number} option {index + 1} has the same text as "
                                   f"option {first + 1}: make each option's text different")
    if seq:
        _check_correct_count(fields, question, number)


def _check_correct_count(fields: Fields, question: Question, number: int) -> None:
    correct = sum(1 for option in question.options if option["correct"])
    if question.type == "single" and correct != 1:
        _say(fields, fields.line("options"),
             f"single-choice question {number} has {correct} options marked correct: "
             "mark exactly one option `correct: true`")
    if question.type == "multiple" and correct == 0:
        _say(fields, fields.line("options"),
             f"multiple-choice question {number} has no option marked correct: "
             "mark at least one option `correct: true`")


def _option(node: object, number: int, index: int, line: int, report: FileReport) -> dict | None:
    where = f"question {number} option {index + 1}"
    if not isinstance(node, dict):
        report.problem(line, f"{where} must be a mapping such as "
                             '`{text: "...", correct: true}`')
        return None
    fields = Fields(node, report, where)
    fields.check_keys(("text",), OPTION_KEYS)
    return {"text": fields.text("text", True, ""),
            "correct": bool(fields.boolean("correct", False)),
            "feedback": fields.text("feedback")}


def _true_false(fields: Fields, question: Question, number: int) -> None:
    if "answer" not in fields.data:
        fields.problem(None, "true_false questions need `answer`: add `answer: true` or "
                             "`answer: false`")
    question.answer = fields.boolean("answer", None, required=True)


def _texts(fields: Fields, seq: list, key: str, number: int,
           numbers: bool = False) -> list[tuple[int, str]]:
    """(index, text) of the valid entries of a list of texts; the others are reported."""
    good = []
    for index, entry in enumerate(seq):
        if is_text(entry) or (numbers and is_number(entry)):
            good.append((index, str(entry)))
        else:
            _say(fields, item_line(seq, index, fields.line(key)),
                 f"question {number} `{key}` entry {index + 1} must be non-empty text, got "
                 f"`{show(entry)}`: write the text, in quotes if needed")
    return good


def _ordering(fields: Fields, question: Question, number: int) -> None:
    seq = _type_list(fields, "items", "ordering", "the items as a list, in the correct order")
    texts = _texts(fields, seq, "items", number)
    question.items = [text for _, text in texts]
    if isinstance(fields.data.get("items"), list) and len(seq) < 2:
        fields.problem("items", f"ordering questions need at least 2 `items`, this one has "
                                f"{len(seq)}: add items in the correct order")
    for index, first in repeats(texts):
        _say(fields, item_line(seq, index, fields.line("items")),
             f"question {number} item {index + 1} repeats item {first + 1}: "
             "make each item different")


def _matching(fields: Fields, question: Question, number: int) -> None:
    seq = _type_list(fields, "pairs", "matching", 'a list of pairs such as `["left", "right"]`')
    lines = [item_line(seq, index, fields.line("pairs")) for index in range(len(seq))]
    good = []
    for index, pair in enumerate(seq):
        if isinstance(pair, list) and len(pair) == 2 and all(is_text(side) for side in pair):
            good.append((index, pair[0], pair[1]))
        else:
            _say(fields, lines[index], f"question {number} pair {index + 1} must be two "
                                       f'non-empty texts `["left", "right"]`, got `{show(pair)}`')
    if isinstance(fields.data.get("pairs"), list) and len(seq) < 2:
        fields.problem("pairs", f"matching questions need at least 2 `pairs`, this one has "
                                f"{len(seq)}: add pairs")
    for side, position in (("left", 1), ("right", 2)):
        for index, first in repeats([(entry[0], entry[position]) for entry in good]):
            _say(fields, lines[index], f"question {number} pair {index + 1} has the same {side} "
                                       f"side as pair {first + 1}: make each {side} side different")
    question.pairs = [(left, right) for _, left, right in good]


def _short(fields: Fields, question: Question, number: int) -> None:
    seq = _type_list(fields, "answers", "short", 'the accepted answers, e.g. `["129"]`')
    if isinstance(fields.data.get("answers"), list) and not seq:
        fields.problem("answers", "`answers` is an empty list: add at least one accepted answer")
    question.answers = [text for _, text in _texts(fields, seq, "answers", number, True)]


def _numeric(fields: Fields, question: Question, number: int) -> None:
    if "value" not in fields.data:
        fields.problem(None, "numeric questions need `value`: add the correct number, "
                             "e.g. `value: 24`")
    question.value = fields.number("value", None, required=True)
    question.tolerance = fields.number("tolerance", 0.0, minimum=0)


def _essay(fields: Fields, question: Question, number: int) -> None:
    seq = _type_list(fields, "rubric", "essay", "a list of `{criterion: ..., points: ...}`")
    if "rubric" in fields.data and isinstance(fields.data["rubric"], list) and not seq:
        fields.problem("rubric", "`rubric` is an empty list: add at least one criterion")
    items = [_rubric_item(node, number, index, item_line(seq, index, fields.line("rubric")),
                          fields.report) for index, node in enumerate(seq)]
    question.rubric = [item for item in items if item is not None]
    points = fields.data.get("points")
    # An invalid `points` is already reported; comparing the rubric with it means nothing.
    points_ok = points is None or (is_int(points) and points >= 1)
    if seq and points_ok and all(item is not None and item["points"] for item in items):
        _check_rubric_total(fields, question, number)


def _check_rubric_total(fields: Fields, question: Question, number: int) -> None:
    total = sum(item["points"] for item in question.rubric)
    if total == question.points:
        return
    worth = f"{question.points} point{'s' if question.points != 1 else ''}"
    if "points" not in fields.data:
        worth += " (no `points` key, so the default 1)"
    _say(fields, fields.line("rubric"),
         f"question {number}: rubric points add up to {total} but the question is worth {worth}: "
         f"set the question's `points: {total}` or change the rubric points to add up to "
         f"{question.points}")


def _rubric_item(node: object, number: int, index: int, line: int,
                 report: FileReport) -> dict | None:
    where = f"question {number} rubric item {index + 1}"
    if not isinstance(node, dict):
        report.problem(line, f"{where} must be a mapping such as "
                             '`{criterion: "...", points: 2}`')
        return None
    fields = Fields(node, report, where)
    fields.check_keys(("criterion", "points"), RUBRIC_KEYS)
    item = {"criterion": fields.text("criterion", True, ""),
            "points": fields.integer("points", None, minimum=1, required=True),
            "anchors": fields.text_list("anchors")}
    if item["anchors"] and item["points"] and len(item["anchors"]) != item["points"] + 1:
        fields.problem("anchors", f"{where} has {len(item['anchors'])} anchors but is worth "
                                  f"{item['points']} points: write one anchor per score, from 0 "
                                  f"to {item['points']} ({item['points'] + 1} in all)")
    return item


_RULES: dict[str, Callable[[Fields, Question, int], None]] = {
    "single": _choices,
    "multiple": _choices,
    "true_false": _true_false,
    "ordering": _ordering,
    "matching": _matching,
    "short": _short,
    "numeric": _numeric,
    "essay": _essay,
}
