"""Sync checked content files into the database: upsert by slug, retire what is gone.

Each registered kind brings its own sync step; this module runs them in order and gives
them `sync_rows`, which does the upsert and retirement every kind shares. Runs inside the
caller's transaction and never commits, so a failure rolls back whole.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.content import kinds as registry
from lms.content.models import Origin
from lms.content.records import Curriculum
from lms.extensions import db
from lms.timeutil import utcnow


@dataclass
class SyncReport:
    """What one sync did, per kind of content: slugs added, changed, retired, refused."""

    added: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)
    retired: dict[str, list[str]] = field(default_factory=dict)
    # Slugs a file claims but an item authored in the browser already has: left alone.
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0

    def lines(self) -> list[str]:
        """Human-readable summary, one line per kind and change."""
        out = []
        for label, bucket in (("added", self.added), ("changed", self.changed),
                              ("retired", self.retired)):
            for kind, slugs in sorted(bucket.items()):
                if slugs:
                    out.append(f"{label} {len(slugs)} {kind}: {', '.join(sorted(slugs))}")
        for kind, slugs in sorted(self.conflicts.items()):
            out.append(f"skipped {len(slugs)} {kind} whose slug belongs to an item authored in "
                       f"the browser (rename the file's slug): {', '.join(sorted(slugs))}")
        out.append(f"unchanged: {self.unchanged}")
        return out

    @property
    def total_changes(self) -> int:
        return sum(len(v) for b in (self.added, self.changed, self.retired) for v in b.values())


def word_count(markdown_text: str) -> int:
    return len(re.findall(r"\w+", markdown_text))


def sync_rows(kind: str, model, items: dict, to_fields: Callable, report: SyncReport,
              on_write: Callable | None = None) -> None:
    """Upsert `items` (slug -> record) into `model`'s rows that came from files.

    Rows authored in the browser are never touched or retired by a sync: a file whose slug
    is taken by one is reported in `report.conflicts`.
    """
    existing = {row.slug: row for row in db.session.scalars(sa.select(model))}
    now = utcnow()
    for slug, item in items.items():
        row = existing.get(slug)
        if row is not None and row.origin != Origin.FILE:
            report.conflicts.setdefault(kind, []).append(slug)
            continue
        if row is not None and row.content_hash == item.content_hash and row.retired_at is None:
            report.unchanged += 1
            continue
        if row is None:
            row = model(slug=slug, origin=Origin.FILE)
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
        if slug not in items and row.retired_at is None and row.origin == Origin.FILE:
            row.retired_at = now
            report.retired.setdefault(kind, []).append(slug)


def sync_curriculum(curriculum: Curriculum) -> SyncReport:
    """Upsert every item of a checked curriculum, kind by kind. The caller commits."""
    if curriculum.problems:
        raise ValueError("refusing to sync content with problems")
    report = SyncReport()
    for kind in registry.registered():
        if kind.sync is not None:
            kind.sync(curriculum.items.get(kind.name, {}), report)
    db.session.flush()
    return report
