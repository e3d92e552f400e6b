"""How answers and right answers read on the result page."""
from __future__ import annotations

from markupsafe import Markup, escape

from lms.assessment.question_types import parse_number
from lms.core.i18n import format_decimal
from lms.core.i18n import gettext as _
from lms.core.i18n import lazy_gettext as _l


def _join(parts: list) -> Markup:
    return Markup("; ").join(parts) if parts else Markup("")


def _true_false(value) -> str:
    return _("True") if value else _("False")


def your_answer(question: dict, answer) -> Markup:
    """The person's answer as readable HTML; a dash when nothing was given."""
    qtype = question["type"]
    blank = Markup("—")
    if answer in (None, "", []):
        return blank
    if qtype == "single":
        return Markup(question["options"][answer]["text_html"])  # noqa: S704 - sanitised by nh3 at sync
    if qtype == "multiple":
        return _join([Markup(question["options"][i]["text_html"]) for i in answer])  # noqa: S704 - sanitised by nh3 at sync
    if qtype == "true_false":
        return escape(_true_false(answer))
    if qtype == "ordering":
        ranked = sorted((p, i) for i, p in enumerate(answer) if p is not None)
        return _join([escape(f"{p}. {question['items'][i]}") for p, i in ranked]) or blank
    if qtype == "matching":
        return _join([escape(f"{question['pairs'][i][0]} → {question['pairs'][c][1]}")
                      for i, c in enumerate(answer) if c is not None]) or blank
    if qtype == "numeric":
        number = parse_number(answer)
        return escape(answer if number is None else f"{answer}")
    return escape(answer)


def right_answer(question: dict) -> Markup:
    """The right answer as readable HTML (essays have a rubric instead)."""
    qtype = question["type"]
    if qtype in ("single", "multiple"):
        return _join([Markup(o["text_html"]) for o in question["options"] if o["correct"]])  # noqa: S704 - sanitised by nh3 at sync
    if qtype == "true_false":
        return escape(_true_false(question["answer"]))
    if qtype == "ordering":
        return _join([escape(f"{n}. {item}") for n, item in enumerate(question["items"], 1)])
    if qtype == "matching":
        return _join([escape(f"{left} → {right}") for left, right in question["pairs"]])
    if qtype == "short":
        return _join([escape(a) for a in question["answers"]])
    if qtype == "numeric":
        value = f"{question['value']:g}"
        tolerance = question["tolerance"]
        return escape(f"{value} ± {tolerance:g}" if tolerance else value)
    return Markup("")


def chosen_feedback(question: dict, answer) -> list[Markup]:
    """Feedback written for the options the person chose."""
    if question["type"] == "single" and answer is not None:
        chosen = [answer]
    elif question["type"] == "multiple":
        chosen = answer or []
    else:
        return []
    return [Markup(question["options"][i]["feedback_html"]) for i in chosen  # noqa: S704 - sanitised by nh3 at sync
            if question["options"][i].get("feedback_html")]


def percent_text(percent: float | None) -> str:
    """17,6% (one decimal at most, in the reader's language); a dash when there is none."""
    return "—" if percent is None else f"{format_decimal(round(percent, 1), '0.#')}%"


def score_text(points: float | None, max_points: float | None, percent: float | None) -> str:
    """A score as people read it: "5,6 dari 32 poin (17,6%)"."""
    if points is None or max_points is None:
        return percent_text(percent)
    return _("%(points)s of %(max)s points (%(percent)s)", points=format_decimal(round(points, 1), "0.#"),
             max=format_decimal(round(max_points, 1), "0.#"), percent=percent_text(percent))


def attempt_text(number: int, limit: int) -> str:
    """"Percobaan 2 dari 3", or "Percobaan 2" when attempts are unlimited."""
    if limit:
        return _("Attempt %(n)d of %(limit)d", n=number, limit=limit)
    return _("Attempt %(n)d", n=number)


QUESTION_TYPE_LABELS = {
    "single": _l("Multiple choice"), "multiple": _l("Multiple answers"),
    "true_false": _l("True/False"), "ordering": _l("Ordering"), "matching": _l("Matching"),
    "short": _l("Short answer"), "numeric": _l("Numeric answer"), "essay": _l("Essay"),
}


def question_type_label(qtype: str) -> str:
    """A question type in words ("Pilihan ganda"), or its key if it is unknown."""
    return str(QUESTION_TYPE_LABELS.get(qtype, qtype))


def init_app(app) -> None:
    """Make the answer formatters available to templates."""
    from lms.assessment.analytics import gain_band
    from lms.assessment.gain_chart import gain_chart
    from lms.assessment.reports import track_quizzes
    app.jinja_env.globals.update(your_answer=your_answer, right_answer=right_answer,
                                 question_type_label=question_type_label, track_quizzes=track_quizzes,
                                 chosen_feedback=chosen_feedback, gain_band=gain_band,
                                 percent_text=percent_text, score_text=score_text,
                                 attempt_text=attempt_text, gain_chart=gain_chart)
