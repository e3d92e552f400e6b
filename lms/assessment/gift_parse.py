"""Read Moodle GIFT text into our quiz question dicts; the public entry is `lms.assessment.gift`.

The reading follows Moodle's own importer (question/format/gift/format.php): questions are
separated by blank lines, whole-line `//` comments are dropped, escapes are hidden before
any structure is looked for, the first `{` ... `}` is the answer block and its last `####`
starts the general feedback. What our format cannot hold is reported, never silently changed.
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

# Escaped characters are swapped for private-use placeholders before parsing, so that
# `\~` or `\{` can never be mistaken for syntax, and swapped back only inside finished text.
_ESCAPABLE = ":#={}~n\\"
_HIDE = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_SHOW = str.maketrans({hidden: ("\n" if char == "n" else char) for char, hidden in _HIDE.items()})
_ESCAPE_RE = re.compile(r"\\([:#={}~n\\])")

_FORMAT_RE = re.compile(r"^\[(markdown|html|plain|moodle)\]")
_WEIGHT_RE = re.compile(r"^%\s*(-?\d+(?:\.\d+)?)\s*%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_WILDCARD_RE = re.compile(r"(?<!\\)\*")
ESSAY_CRITERION = "Jawaban sesuai pertanyaan"


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


@dataclass
class GiftImport:
    """Questions mapped to our format, plus what was skipped and what was lost on the way."""

    questions: list[dict] = field(default_factory=list)
    skipped: list[GiftIssue] = field(default_factory=list)
    warnings: list[GiftIssue] = field(default_factory=list)


class _Skip(Exception):
    """A well-formed question our format cannot hold; the message says why."""


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


class _Notes:
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
            current.append((number, _ESCAPE_RE.sub(lambda m: _HIDE[m.group(1)], line)))
    if current:
        blocks.append(_Block(current))
    return blocks


def _take_category(block: _Block, result: GiftImport) -> _Block | None:
    """Report a `$CATEGORY:` line; lines after it (no blank line between) are still read."""
    number, line = block.lines[0]
    if not line.startswith("$CATEGORY:"):
        return block
    path = _show(line[len("$CATEGORY:"):]).strip()
    result.warnings.append(GiftIssue(number, f"category {path!r} ignored: our quizzes have "
                                             "no question categories"))
    return _Block(block.lines[1:]) if len(block.lines) > 1 else None


def _read_question(block: _Block, result: GiftImport) -> None:
    notes = _Notes(block.start)
    try:
        question = _question(block.text, notes)
    except _Skip as skip:
        result.skipped.append(GiftIssue(block.start, f"skipped: {skip}"))
        return
    result.questions.append(question)
    result.warnings.extend(notes.issues)


def _question(text: str, notes: _Notes) -> dict:
    """One question block (title, text, answer block) as our question dict."""
    body = _drop_title(text, notes)
    opening, closing = body.find("{"), body.find("}")
    if opening < 0 and closing < 0:
        raise _Skip("description (text without an answer block) has nothing to answer")
    if opening < 0 or 0 <= closing < opening:
        raise notes.error("`}` without an opening `{`: write \\} for a literal brace")
    if closing < 0 or "{" in body[opening + 1:closing]:
        raise notes.error("unclosed `{`: close the answer block with `}` (write \\{ for a "
                          "literal brace)")
    _check_after_block(body[closing + 1:], notes)
    prompt = _prompt(body[:opening], notes)
    if not prompt:
        raise _Skip("the question has no text before its answer block")
    answers, general = _split_general_feedback(body[opening + 1:closing], notes)
    kind, fields = _answer_fields(answers, notes, general)
    # True/false may turn its feedback into the explanation; it goes last in the dict so the
    # YAML reads type, prompt, points, the type's keys, explanation.
    explanation = fields.pop("explanation", general)
    question = {"type": kind, "prompt": prompt, "points": 1, **fields}
    if explanation:
        question["explanation"] = explanation
    return question


def _drop_title(text: str, notes: _Notes) -> str:
    """Text without its `::title::`; a dropped title is reported."""
    if not text.startswith("::"):
        return text
    end = text.find("::", 2)
    if end < 0:
        raise notes.error("question title starts with `::` but has no closing `::`")
    title = _show(text[2:end]).strip()
    notes.warn(f"title {title!r} dropped: our questions have no title")
    return text[end + 2:]


def _check_after_block(rest: str, notes: _Notes) -> None:
    """Text after `}`: a second block is an error, words on the same line make a missing-word
    question, anything else (Moodle's fixture has `";`) is stray and only reported."""
    if not rest.strip():
        return
    if "{" in rest or "}" in rest:
        raise notes.error("more than one answer block in one question: separate questions "
                          "with a blank line")
    if re.search(r"\w", rest.partition("\n")[0]):
        raise _Skip("missing-word (cloze) question: text continues after the answer block, "
                    "and our questions cannot put a blank inside the prompt")
    notes.warn(f"stray text after the answer block ignored: {_show(rest).strip()!r}")


def _split_general_feedback(inner: str, notes: _Notes) -> tuple[str, str]:
    """(answer text, general feedback); Moodle takes the last `####`."""
    answers, mark, general = inner.rpartition("####")
    if not mark:
        return inner.strip(), ""
    return answers.strip(), _text(general, notes)


def _answer_fields(answers: str, notes: _Notes, general: str) -> tuple[str, dict]:
    """Decide the question type the way Moodle does, then read its answers."""
    if not answers:
        return _essay(notes)
    if answers.startswith("#"):
        return _numeric(answers[1:], notes)
    if "~" in answers:
        if "->" in answers:
            raise notes.error("`->` (matching) mixed with `~` (multiple choice) in one answer "
                              "block")
        return _choice(answers, notes)
    if "->" in answers:
        return _matching(answers, notes)
    if answers.partition("#")[0].strip().upper() in _TRUE_FALSE:
        return _true_false(answers, notes, general)
    return _short(answers, notes)


# ---------------------------------------------------------------- pieces of answers


def _show(text: str) -> str:
    """Put escaped characters back (`\\n` becomes a newline)."""
    return text.translate(_SHOW)


def _prompt(raw: str, notes: _Notes) -> str:
    """The question text; its format becomes the default of the answers, as in Moodle."""
    marker = _FORMAT_RE.match(raw.strip())
    if marker:
        notes.format = marker.group(1)
    return _text(raw, notes)


def _text(raw: str, notes: _Notes) -> str:
    """One piece of text: optional `[format]` marker, escapes restored, HTML made Markdown."""
    text = raw.strip()
    marker = _FORMAT_RE.match(text)
    text = _show(text[marker.end():] if marker else text)
    if (marker.group(1) if marker else notes.format) == "html":
        notes.warn("HTML converted to Markdown (bold, italics and line breaks kept, other "
                   "tags removed): check the text")
        text = html_to_markdown(text)
    return text.strip()


_HTML_RULES = [
    (re.compile(r"<br\s*/?>", re.I), "\n"),
    (re.compile(r"</p\s*>", re.I), "\n\n"),
    (re.compile(r"</?(?:b|strong)(?:\s[^>]*)?>", re.I), "**"),
    (re.compile(r"</?(?:i|em)(?:\s[^>]*)?>", re.I), "*"),
    (re.compile(r"<[^>]*>"), ""),
]


def html_to_markdown(text: str) -> str:
    """Basic HTML to Markdown: bold, italics, line and paragraph breaks; other tags dropped."""
    text = re.sub(r"\s+", " ", text)  # in HTML source a newline is just a space
    for pattern, replacement in _HTML_RULES:
        text = pattern.sub(replacement, text)
    text = re.sub(r" *\n *", "\n", html.unescape(text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _entries(answers: str, markers: str, notes: _Notes) -> list[tuple[str, str]]:
    """Split an answer block into (marker, body) pairs at each `=`/`~` marker."""
    parts = re.split(f"([{markers}])", answers)
    if parts[0].strip():
        raise notes.error(f"unknown answer block structure: {_show(parts[0]).strip()!r} "
                          "before the first answer (answers start with = or ~)")
    return [(parts[i], parts[i + 1].strip()) for i in range(1, len(parts), 2)]


def _weight(body: str, default: float) -> tuple[float, str]:
    """A leading `%50%` weight (percent), or the default."""
    match = _WEIGHT_RE.match(body)
    if not match:
        return default, body
    return float(match.group(1)), body[match.end():]


def _answer(body: str, notes: _Notes) -> tuple[str, str]:
    """(answer text, feedback) of one answer; `#` starts the feedback."""
    text, _, feedback = body.partition("#")
    return _text(text, notes), _text(feedback, notes)


def _percent(weight: float) -> str:
    return f"{weight:g}%"


def _essay(notes: _Notes) -> tuple[str, dict]:
    # Our essays need a rubric adding up to the points; GIFT essays have none.
    notes.warn(f"rubric added: one criterion {ESSAY_CRITERION!r} worth 1 point")
    return "essay", {"rubric": [{"criterion": ESSAY_CRITERION, "points": 1}]}


# ---------------------------------------------------------------- one reader per type


def _choice(answers: str, notes: _Notes) -> tuple[str, dict]:
    """`=right ~wrong` or weighted `~%50%a`: a weight above 0 makes an option correct."""
    options, weights, equals = [], [], 0
    for marker, body in _entries(answers, "~=", notes):
        weight, body = _weight(body, 100.0 if marker == "=" else 0.0)
        text, feedback = _answer(body, notes)
        if not text:
            raise notes.error("a multiple-choice answer has no text")
        options.append(_option(text, weight > 0, feedback))
        weights.append(weight)
        equals += marker == "="
    _check_options(options, notes)
    correct = [weight for weight in weights if weight > 0]
    if equals and len(correct) == 1:
        if any(weight not in (0, 100) for weight in weights):
            notes.warn("weights approximated: our single-choice questions give full credit "
                       f"for the correct option and none otherwise (GIFT: {_weights(weights)})")
        return "single", {"options": options}
    if equals:
        notes.warn(f"{len(correct)} answers earn credit in a one-answer (=) question: mapped "
                   "to a multiple-answer question where all of them must be chosen")
    _warn_multiple_weights(weights, notes)
    return "multiple", {"options": options}


def _option(text: str, correct: bool, feedback: str) -> dict:
    option: dict = {"text": text}
    if correct:
        option["correct"] = True
    if feedback:
        option["feedback"] = feedback
    return option


def _check_options(options: list[dict], notes: _Notes) -> None:
    if len(options) < 2:
        raise notes.error("a multiple-choice question needs at least 2 answers")
    if not any(option.get("correct") for option in options):
        raise notes.error("multiple-choice answer block has no correct answer: mark one with "
                          "= or give it a positive %weight%")
    repeated = _repeated([option["text"] for option in options])
    if repeated is not None:
        raise _Skip(f"two options have the same text {repeated!r}; ours must differ")


def _warn_multiple_weights(weights: list[float], notes: _Notes) -> None:
    """Our rule: each correct option chosen +1/n, each wrong one -1/n (n = number correct),
    floored at 0. Moodle weights that score differently are reported."""
    share = 100 / sum(1 for weight in weights if weight > 0)
    exact = all(abs(weight - (share if weight > 0 else -share)) < 0.01 for weight in weights)
    if not exact:
        notes.warn(f"weights approximated by our partial-credit rule (each correct option "
                   f"+{share:.4g}%, each wrong one -{share:.4g}%): GIFT had {_weights(weights)}")


def _weights(weights: list[float]) -> str:
    return ", ".join(_percent(weight) for weight in weights)


def _repeated(texts: list[str]) -> str | None:
    seen = set()
    for text in texts:
        if text in seen:
            return text
        seen.add(text)
    return None


def _true_false(answers: str, notes: _Notes, general: str) -> tuple[str, dict]:
    """`{TRUE#feedback if wrong#feedback if right}`: one text becomes the explanation."""
    value, wrong, right = (answers.split("#", 2) + ["", ""])[:3]
    wrong, right = _text(wrong, notes), _text(right, notes)
    # Wrong-answer feedback usually says why the answer is what it is, so it wins over
    # right-answer feedback ("Correct!"); general feedback wins over both.
    explanation = general or wrong or right
    dropped = [name for name, text in (("wrong-answer", wrong), ("right-answer", right))
               if text and text != explanation]
    if dropped:
        source = "general" if general else "wrong-answer"
        notes.warn(f"{' and '.join(dropped)} feedback dropped: the explanation is the {source} "
                   "feedback")
    return "true_false", {"answer": _TRUE_FALSE[value.strip().upper()],
                          "explanation": explanation}


def _short(answers: str, notes: _Notes) -> tuple[str, dict]:
    """`{=a =b}`: full-credit answers without wildcards are kept, the rest reported."""
    kept, partial, wild, feedback = [], [], [], False
    for _, body in _entries(answers, "=", notes):
        weight, body = _weight(body, 100.0)
        text, answer_feedback = _answer(body, notes)
        if not text:
            raise notes.error("a short answer is empty")
        if weight < 100:
            partial.append(f"{text} ({_percent(weight)})")
        elif _WILDCARD_RE.search(text):
            wild.append(text)
        else:
            kept.append(text.replace("\\*", "*"))  # Moodle's \* is a literal asterisk
            feedback = feedback or bool(answer_feedback)
    if partial:
        notes.warn("answers without full credit dropped (ours are right or wrong): "
                   + ", ".join(partial))
    if wild:
        notes.warn("answers with the wildcard * dropped (it cannot be matched exactly): "
                   + ", ".join(wild))
    if feedback:
        notes.warn("answer feedback dropped: our short answers have no per-answer feedback")
    if not kept:
        raise _Skip("short answer has no full-credit answer without a wildcard")
    return "short", {"answers": kept}


def _matching(answers: str, notes: _Notes) -> tuple[str, dict]:
    """`{=left -> right}`; `= -> extra` is a distractor, which our format cannot hold."""
    pairs, distractors = [], []
    for _, body in _entries(answers, "=", notes):
        left, arrow, right = body.partition("->")
        if not arrow:
            raise notes.error("a matching answer has no `->`: write =left -> right")
        left, right = _text(left, notes), _show(right).strip()
        if not right:
            raise notes.error("a matching answer has nothing after `->`")
        if left:
            pairs.append([left, right])
        else:
            distractors.append(right)
    if distractors:
        notes.warn("distractor dropped (our matching has no extra right-hand answers): "
                   + ", ".join(distractors))
    if len(pairs) < 2:
        raise _Skip(f"matching needs at least 2 pairs, this one has {len(pairs)}")
    for side, name in ((0, "left"), (1, "right")):
        repeated = _repeated([pair[side] for pair in pairs])
        if repeated is not None:
            raise _Skip(f"two pairs have the same {name} side {repeated!r}; ours must differ")
    return "matching", {"pairs": pairs}


def _numeric(body: str, notes: _Notes) -> tuple[str, dict]:
    """`{#3}`, `{#3:0.5}`, `{#1..5}` or `{# =3:0 =%50%3:1 ~#feedback}`: one full-credit
    answer is kept."""
    body, tilde, wrong = body.partition("~")
    if tilde and _answer(wrong, notes)[1]:
        notes.warn("wrong-answer feedback dropped: our numeric questions have no feedback")
    parts = [part.strip() for part in body.split("=")]
    parts = parts[1:] if not parts[0] else parts
    if not parts:
        raise notes.error("numeric answer block `{#...}` has no number")
    answers = [_numeric_answer(part, notes) for part in parts]
    full = [answer for answer in answers if answer.weight >= 100]
    if not full:
        raise _Skip("numeric question has no full-credit answer")
    chosen = full[0]
    others = [f"{answer.text} ({_percent(answer.weight)})" for answer in answers
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


def _numeric_answer(part: str, notes: _Notes) -> _NumericAnswer:
    """One answer of a numeric block: `3`, `3:0.5` or `1..5`, maybe weighted."""
    weight, part = _weight(part, 100.0)
    text, feedback = _answer(part, notes)
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


def _number(text: str, notes: _Notes) -> float:
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
