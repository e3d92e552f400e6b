"""Read Moodle GIFT text into our quiz question dicts; the public entry is `lms.assessment.gift`.

The reading follows Moodle's own importer (question/format/gift/format.php): questions are
separated by blank lines, whole-line `//` comments are dropped, escapes are hidden before
any structure is looked for, the first `{` ... `}` is the answer block and its last `####`
starts the general feedback. What our format cannot hold is reported, never silently changed.

This module splits the text into questions and assembles each one; the pieces live in
gift_issues (what is reported), gift_text (escapes, markers, HTML), gift_answers (one reader
per question type) and gift_numeric (numeric answer blocks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lms.assessment.gift_answers import ESSAY_CRITERION, answer_fields
from lms.assessment.gift_issues import GiftIssue, GiftSyntaxError, Notes, Skip
from lms.assessment.gift_text import hide_escapes, html_to_markdown, read_prompt, read_text, show

__all__ = ["ESSAY_CRITERION", "GiftImport", "GiftIssue", "GiftSyntaxError", "html_to_markdown",
           "parse_gift"]


@dataclass
class GiftImport:
    """Questions mapped to our format, plus what was skipped and what was lost on the way."""

    questions: list[dict] = field(default_factory=list)
    skipped: list[GiftIssue] = field(default_factory=list)
    warnings: list[GiftIssue] = field(default_factory=list)


@dataclass
class _Block:
    """The non-comment lines of one question, escapes already hidden."""

    lines: list[tuple[int, str]]

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)


def parse_gift(text: str) -> GiftImport:
    """Map every question of a GIFT text; raise GiftSyntaxError on malformed input."""
    result = GiftImport()
    for block in _blocks(text):
        block = _take_category(block, result)
        if block is not None:
            _read_question(block, result)
    return result


def _blocks(text: str) -> list[_Block]:
    """Split on blank lines, like Moodle; comment-only blocks vanish."""
    blocks, current = [], []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append(_Block(current))
            current = []
        elif not line.startswith("//"):
            current.append((number, hide_escapes(line)))
    if current:
        blocks.append(_Block(current))
    return blocks


def _take_category(block: _Block, result: GiftImport) -> _Block | None:
    """Report a `$CATEGORY:` line; lines after it (no blank line between) are still read."""
    number, line = block.lines[0]
    if not line.startswith("$CATEGORY:"):
        return block
    path = show(line[len("$CATEGORY:"):]).strip()
    result.warnings.append(GiftIssue(number, f"category {path!r} ignored: our quizzes have "
                                             "no question categories"))
    return _Block(block.lines[1:]) if len(block.lines) > 1 else None


def _read_question(block: _Block, result: GiftImport) -> None:
    notes = Notes(block.start)
    try:
        question = _question(block.text, notes)
    except Skip as skip:
        result.skipped.append(GiftIssue(block.start, f"skipped: {skip}"))
        return
    result.questions.append(question)
    result.warnings.extend(notes.issues)


def _question(text: str, notes: Notes) -> dict:
    """One question block (title, text, answer block) as our question dict."""
    body = _drop_title(text, notes)
    opening, closing = body.find("{"), body.find("}")
    if opening < 0 and closing < 0:
        raise Skip("description (text without an answer block) has nothing to answer")
    if opening < 0 or 0 <= closing < opening:
        raise notes.error("`}` without an opening `{`: write \\} for a literal brace")
    if closing < 0 or "{" in body[opening + 1:closing]:
        raise notes.error("unclosed `{`: close the answer block with `}` (write \\{ for a "
                          "literal brace)")
    _check_after_block(body[closing + 1:], notes)
    prompt = read_prompt(body[:opening], notes)
    if not prompt:
        raise Skip("the question has no text before its answer block")
    answers, general = _split_general_feedback(body[opening + 1:closing], notes)
    kind, fields = answer_fields(answers, notes, general)
    # True/false may turn its feedback into the explanation; it goes last in the dict so the
    # YAML reads type, prompt, points, the type's keys, explanation.
    explanation = fields.pop("explanation", general)
    question = {"type": kind, "prompt": prompt, "points": 1, **fields}
    if explanation:
        question["explanation"] = explanation
    return question


def _drop_title(text: str, notes: Notes) -> str:
    """Text without its `::title::`; a dropped title is reported."""
    if not text.startswith("::"):
        return text
    end = text.find("::", 2)
    if end < 0:
        raise notes.error("question title starts with `::` but has no closing `::`")
    title = show(text[2:end]).strip()
    notes.warn(f"title {title!r} dropped: our questions have no title")
    return text[end + 2:]


def _check_after_block(rest: str, notes: Notes) -> None:
    """Text after `}`: a second block is an error, words on the same line make a missing-word
    question, anything else (Moodle's fixture has `";`) is stray and only reported."""
    if not rest.strip():
        return
    if "{" in rest or "}" in rest:
        raise notes.error("more than one answer block in one question: separate questions "
                          "with a blank line")
    if re.search(r"\w", rest.partition("\n")[0]):
        raise Skip("missing-word (cloze) question: text continues after the answer block, "
                   "and our questions cannot put a blank inside the prompt")
    notes.warn(f"stray text after the answer block ignored: {show(rest).strip()!r}")


def _split_general_feedback(inner: str, notes: Notes) -> tuple[str, str]:
    """(answer text, general feedback); Moodle takes the last `####`."""
    answers, mark, general = inner.rpartition("####")
    if not mark:
        return inner.strip(), ""
    return answers.strip(), read_text(general, notes)
