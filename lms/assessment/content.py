"""The assessment domain's content kind: quizzes (quizzes/*.yaml), synced with a frozen
version per content hash so attempts keep what they were graded against."""
from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from lms.assessment.models import Quiz, QuizVersion
from lms.assessment.question_schema import parse_questions
from lms.assessment.quiz_source import QUIZ_KINDS, Question, QuizSource
from lms.content import kinds
from lms.content.fields import Fields, FileReport
from lms.content.parsing import SourceFile, own_slug, read_yaml
from lms.content.render import render_inline, render_markdown
from lms.content.source import Unreadable
from lms.content.sync import SyncReport, sync_rows
from lms.extensions import db

QUIZ_KEYS = ("slug", "title", "kind", "pass_mark", "max_attempts", "shuffle", "case",
             "questions", "description")


def parse_quiz(source: SourceFile, report: FileReport) -> list[QuizSource]:
    node = read_yaml(source.text, report)
    if not isinstance(node, dict):
        raise Unreadable(getattr(node, "line", 1), "a quiz file must be a set of `key: value` "
                                                   "lines (`slug:`, `title:`, `questions:` ...)")
    fields = Fields(node, report)
    fields.check_keys(("slug", "title", "questions"), QUIZ_KEYS)
    slug = own_slug(fields, "quiz")
    kind = fields.choice("kind", QUIZ_KINDS, None, "quiz kind", required=True)
    quiz = QuizSource(slug=slug or "", title=fields.text("title", True, ""), kind=kind or "quiz",
                      pass_mark=fields.integer("pass_mark", 70, 0, 100),
                      max_attempts=fields.integer("max_attempts", 0, minimum=0),
                      shuffle=fields.boolean("shuffle", False),
                      case=fields.text("case", required=kind == "case"),
                      questions=_questions(fields), path=source.path,
                      content_hash=source.content_hash,
                      description=fields.text("description", default="", allow_empty=True))
    if kind is not None or "kind" not in node:
        _check_case(fields, quiz)
    return [quiz] if slug else []


def _questions(fields: Fields) -> list[Question]:
    seq = fields.sequence("questions", required=True)
    if seq is not None and not seq:
        fields.problem("questions", "`questions` is an empty list: add at least one question")
    return parse_questions(seq or [], fields.report)


def _check_case(fields: Fields, quiz: QuizSource) -> None:
    """A case study carries its story in `case`; other kinds must not have one."""
    if quiz.kind == "case" and "case" not in fields.data:
        fields.problem("kind", "a quiz with kind: case needs `case`: add `case: |` followed by "
                               "the case story, indented")
    if quiz.kind != "case" and "case" in fields.data:
        fields.problem("case", f"`case` is only used by quizzes with kind: case, this one has "
                               f"kind {quiz.kind}: remove `case` or set `kind: case`")


def question_definition(question: Question) -> dict:
    """A question as stored data: the source fields plus rendered HTML for display."""
    data = dataclasses.asdict(question)
    data["pairs"] = [list(p) for p in question.pairs]
    data["prompt_html"] = render_markdown(question.prompt)
    data["explanation_html"] = render_markdown(question.explanation)
    for option in data["options"]:
        option["text_html"] = render_inline(option["text"])
        option["feedback_html"] = render_inline(option.get("feedback"))
    return data


def _quiz_fields(quiz: QuizSource) -> dict:
    return {"title": quiz.title, "kind": quiz.kind, "pass_mark": quiz.pass_mark,
            "max_attempts": quiz.max_attempts, "shuffle": quiz.shuffle,
            "case_html": render_markdown(quiz.case) if quiz.case else None,
            "description_html": render_markdown(quiz.description),
            "question_count": len(quiz.questions)}


def _add_quiz_version(quiz: QuizSource) -> None:
    """Keep the definition for this hash; older versions stay for the attempts that used them."""
    known = db.session.scalar(sa.select(QuizVersion.id).where(
        QuizVersion.quiz_slug == quiz.slug, QuizVersion.content_hash == quiz.content_hash))
    if known is None:
        definition = {"slug": quiz.slug, "title": quiz.title, "kind": quiz.kind,
                      "pass_mark": quiz.pass_mark, "shuffle": quiz.shuffle,
                      "case_html": render_markdown(quiz.case) if quiz.case else None,
                      "questions": [question_definition(q) for q in quiz.questions]}
        db.session.add(QuizVersion(quiz_slug=quiz.slug, content_hash=quiz.content_hash,
                                   definition=definition))


def sync_quizzes(items: dict, report: SyncReport) -> None:
    sync_rows("quizzes", Quiz, items, _quiz_fields, report, _add_quiz_version)


kinds.register(kinds.ContentKind(
    name="quizzes", noun="quiz", label="quiz", folder="quizzes", patterns=("*.yaml", "*.yml"),
    parse=parse_quiz, sync=sync_quizzes, position=30, model=Quiz))
