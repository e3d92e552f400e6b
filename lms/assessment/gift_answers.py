"""One GIFT answer block read as our question type and its fields (see
lms.assessment.gift_parse): the type is decided the way Moodle does, then one reader per type
maps the answers and reports what our format cannot hold."""
from __future__ import annotations

import re

from lms.assessment.gift_issues import Notes, Skip
from lms.assessment.gift_numeric import read_numeric
from lms.assessment.gift_text import percent, read_answer, read_text, read_weight, show, split_entries

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_WILDCARD_RE = re.compile(r"(?<!\\)\*")
ESSAY_CRITERION = "Jawaban sesuai pertanyaan"


def answer_fields(answers: str, notes: Notes, general: str) -> tuple[str, dict]:
    """Decide the question type the way Moodle does, then read its answers."""
    if not answers:
        return _essay(notes)
    if answers.startswith("#"):
        return read_numeric(answers[1:], notes)
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


def _essay(notes: Notes) -> tuple[str, dict]:
    # Our essays need a rubric adding up to the points; GIFT essays have none.
    notes.warn(f"rubric added: one criterion {ESSAY_CRITERION!r} worth 1 point")
    return "essay", {"rubric": [{"criterion": ESSAY_CRITERION, "points": 1}]}


def _choice(answers: str, notes: Notes) -> tuple[str, dict]:
    """`=right ~wrong` or weighted `~%50%a`: a weight above 0 makes an option correct."""
    options, weights, equals = [], [], 0
    for marker, body in split_entries(answers, "~=", notes):
        weight, body = read_weight(body, 100.0 if marker == "=" else 0.0)
        text, feedback = read_answer(body, notes)
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


def _check_options(options: list[dict], notes: Notes) -> None:
    if len(options) < 2:
        raise notes.error("a multiple-choice question needs at least 2 answers")
    if not any(option.get("correct") for option in options):
        raise notes.error("multiple-choice answer block has no correct answer: mark one with "
                          "= or give it a positive %weight%")
    repeated = _repeated([option["text"] for option in options])
    if repeated is not None:
        raise Skip(f"two options have the same text {repeated!r}; ours must differ")


def _warn_multiple_weights(weights: list[float], notes: Notes) -> None:
    """Our rule: each correct option chosen +1/n, each wrong one -1/n (n = number correct),
    floored at 0. Moodle weights that score differently are reported."""
    share = 100 / sum(1 for weight in weights if weight > 0)
    exact = all(abs(weight - (share if weight > 0 else -share)) < 0.01 for weight in weights)
    if not exact:
        notes.warn(f"weights approximated by our partial-credit rule (each correct option "
                   f"+{share:.4g}%, each wrong one -{share:.4g}%): GIFT had {_weights(weights)}")


def _weights(weights: list[float]) -> str:
    return ", ".join(percent(weight) for weight in weights)


def _repeated(texts: list[str]) -> str | None:
    seen = set()
    for text in texts:
        if text in seen:
            return text
        seen.add(text)
    return None


def _true_false(answers: str, notes: Notes, general: str) -> tuple[str, dict]:
    """`{TRUE#feedback if wrong#feedback if right}`: one text becomes the explanation."""
    value, wrong, right = (answers.split("#", 2) + ["", ""])[:3]
    wrong, right = read_text(wrong, notes), read_text(right, notes)
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


def _short(answers: str, notes: Notes) -> tuple[str, dict]:
    """`{=a =b}`: full-credit answers without wildcards are kept, the rest reported."""
    kept, partial, wild, feedback = [], [], [], False
    for _, body in split_entries(answers, "=", notes):
        weight, body = read_weight(body, 100.0)
        text, answer_feedback = read_answer(body, notes)
        if not text:
            raise notes.error("a short answer is empty")
        if weight < 100:
            partial.append(f"{text} ({percent(weight)})")
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
        raise Skip("short answer has no full-credit answer without a wildcard")
    return "short", {"answers": kept}


def _matching(answers: str, notes: Notes) -> tuple[str, dict]:
    """`{=left -> right}`; `= -> extra` is a distractor, which our format cannot hold."""
    pairs, distractors = [], []
    for _, body in split_entries(answers, "=", notes):
        left, arrow, right = body.partition("->")
        if not arrow:
            raise notes.error("a matching answer has no `->`: write =left -> right")
        left, right = read_text(left, notes), show(right).strip()
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
        raise Skip(f"matching needs at least 2 pairs, this one has {len(pairs)}")
    for side, name in ((0, "left"), (1, "right")):
        repeated = _repeated([pair[side] for pair in pairs])
        if repeated is not None:
            raise Skip(f"two pairs have the same {name} side {repeated!r}; ours must differ")
    return "matching", {"pairs": pairs}
