"""Convert Moodle GIFT question banks to and from our quiz format (docs/content-format.md).

    result = parse_gift(text)                   # questions, skipped, warnings
    yaml_text, result = quiz_yaml_from_gift(text, "kuis-impor", "Kuis Impor")
    gift_text, notes = export_gift(quiz_dict)   # a quiz as loaded from our YAML

Nothing is changed silently: a question our format cannot hold is listed in `skipped`, one
mapped with a loss (weights, feedback, titles, distractors...) in `warnings`, and a question
GIFT cannot express is left out of the export and named in the notes.
"""
from __future__ import annotations

import yaml

from lms.assessment.gift_export import export_gift
from lms.assessment.gift_parse import GiftImport, GiftIssue, GiftSyntaxError, parse_gift

__all__ = [
    "GiftImport",
    "GiftIssue",
    "GiftSyntaxError",
    "export_gift",
    "parse_gift",
    "quiz_yaml_from_gift",
]


class _Flow(list):
    """A short list written on one line: `["left", "right"]`."""


class _QuizDumper(yaml.SafeDumper):
    """Safe YAML laid out like our hand-written quizzes."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        # List items indented under their key, as in docs/content-format.md.
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    # Multi-line Markdown reads best as a literal block; PyYAML falls back to quotes by
    # itself when a literal block cannot hold the text (e.g. trailing spaces).
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow(dumper: yaml.SafeDumper, items: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(items), flow_style=True)


_QuizDumper.add_representer(str, _represent_str)
_QuizDumper.add_representer(_Flow, _represent_flow)


def quiz_yaml_from_gift(text: str, slug: str, title: str,
                        kind: str = "quiz") -> tuple[str, GiftImport]:
    """The YAML of a whole quiz file made from a GIFT text, and the import report."""
    result = parse_gift(text)
    quiz = {"slug": slug, "title": title, "kind": kind,
            "questions": [_for_yaml(question) for question in result.questions]}
    dumped = yaml.dump(quiz, Dumper=_QuizDumper, allow_unicode=True, sort_keys=False,
                       width=100)
    return dumped, result


def _for_yaml(question: dict) -> dict:
    """A copy whose pairs and short answers are written as one-line lists."""
    copy = dict(question)
    if "pairs" in copy:
        copy["pairs"] = [_Flow(pair) for pair in copy["pairs"]]
    if "answers" in copy:
        copy["answers"] = _Flow(copy["answers"])
    return copy
