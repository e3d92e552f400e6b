"""Sync checked content files into the database: upsert by slug, retire what is gone.

Runs inside the caller's transaction and never commits, so a failure rolls back whole.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.assessment.models import Quiz, QuizVersion
from lms.content.loader import Curriculum
from lms.content.render import render_inline, render_markdown
from lms.extensions import db
from lms.learning.models import Module, Track
from lms.roleplays.models import RolePlay
from lms.timeutil import utcnow


@dataclass
class SyncReport:
    """What one sync did, per kind of content: slugs added, changed, retired."""

    added: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)
    retired: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0

    def lines(self) -> list[str]:
        """Human-readable summary, one line per kind and change."""
        out = []
        for label, bucket in (("added", self.added), ("changed", self.changed),
                              ("retired", self.retired)):
            for kind, slugs in sorted(bucket.items()):
                if slugs:
                    out.append(f"{label} {len(slugs)} {kind}: {', '.join(sorted(slugs))}")
        out.append(f"unchanged: {self.unchanged}")
        return out

    @property
    def total_changes(self) -> int:
        return sum(len(v) for b in (self.added, self.changed, self.retired) for v in b.values())


def _word_count(markdown_text: str) -> int:
    return len(re.findall(r"\w+", markdown_text))


def _track_fields(track) -> dict:
    return {"title": track.title, "description_html": render_markdown(track.description),
            "pretest_slug": track.pretest, "posttest_slug": track.posttest,
            "position": track.position}


def _module_fields(module) -> dict:
    return {"title": module.title, "track_slug": module.track, "order": module.order,
            "duration_minutes": module.duration_minutes, "methods": list(module.methods),
            "objectives": list(module.objectives), "quiz_slug": module.quiz,
            "case_slugs": list(module.cases), "roleplay_slugs": list(module.roleplays),
            "body_html": render_markdown(module.body), "word_count": _word_count(module.body)}


def question_definition(question) -> dict:
    """A question as stored data: the source fields plus rendered HTML for display."""
    data = dataclasses.asdict(question)
    data["pairs"] = [list(p) for p in question.pairs]
    data["prompt_html"] = render_markdown(question.prompt)
    data["explanation_html"] = render_markdown(question.explanation)
    for option in data["options"]:
        option["text_html"] = render_inline(option["text"])
        option["feedback_html"] = render_inline(option.get("feedback"))
    return data


def _quiz_fields(quiz) -> dict:
    return {"title": quiz.title, "kind": quiz.kind, "pass_mark": quiz.pass_mark,
            "max_attempts": quiz.max_attempts, "shuffle": quiz.shuffle,
            "case_html": render_markdown(quiz.case) if quiz.case else None,
            "description_html": render_markdown(quiz.description),
            "question_count": len(quiz.questions)}


def _roleplay_fields(rp) -> dict:
    roles = [{"name": r.name, "brief_html": render_markdown(r.brief),
              "secret_html": render_markdown(r.secret)} for r in rp.roles]
    return {"title": rp.title, "module_slug": rp.module, "duration_minutes": rp.duration_minutes,
            "objectives": list(rp.objectives), "roles": roles,
            "observer_checklist": list(rp.observer_checklist), "debrief": list(rp.debrief),
            "scenario_html": render_markdown(rp.scenario)}


def _sync_kind(kind: str, model, items: dict, to_fields: Callable, report: SyncReport,
               on_write: Callable | None = None) -> None:
    existing = {row.slug: row for row in db.session.scalars(sa.select(model))}
    now = utcnow()
    for slug, item in items.items():
        row = existing.get(slug)
        if row is not None and row.content_hash == item.content_hash and row.retired_at is None:
            report.unchanged += 1
            continue
        if row is None:
            row = model(slug=slug)
            db.session.add(row)
            report.added.setdefault(kind, []).append(slug)
        else:
            report.changed.setdefault(kind, []).append(slug)
        for name, value in to_fields(item).items():
            setattr(row, name, value)
        row.source_path, row.content_hash, row.synced_at, row.retired_at = (
            item.path, item.content_hash, now, None)
        if on_write:
            on_write(item)
    for slug, row in existing.items():
        if slug not in items and row.retired_at is None:
            row.retired_at = now
            report.retired.setdefault(kind, []).append(slug)


def _add_quiz_version(quiz) -> None:
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


def sync_curriculum(curriculum: Curriculum) -> SyncReport:
    """Upsert every item of a checked curriculum. The caller commits or rolls back."""
    if curriculum.problems:
        raise ValueError("refusing to sync content with problems")
    report = SyncReport()
    _sync_kind("tracks", Track, curriculum.tracks, _track_fields, report)
    _sync_kind("modules", Module, curriculum.modules, _module_fields, report)
    _sync_kind("quizzes", Quiz, curriculum.quizzes, _quiz_fields, report, _add_quiz_version)
    _sync_kind("role-plays", RolePlay, curriculum.roleplays, _roleplay_fields, report)
    db.session.flush()
    return report
