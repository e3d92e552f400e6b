"""Load and check the content tree: every file of every registered content kind.

`load_curriculum(root)` never raises on bad content: everything wrong is returned as a
`Problem` naming the file, the line and what to do, so writers can fix all of it at once.
The caller refuses to sync while `Curriculum.problems` is non-empty.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from lms.content import kinds as registry
from lms.content.crossref import check_claims, check_refs
from lms.content.fields import FileReport
from lms.content.kinds import ContentKind
from lms.content.parsing import SourceFile
from lms.content.records import Curriculum, Problem
from lms.content.source import Unreadable, decode_utf8

__all__ = ["Curriculum", "Problem", "load_curriculum"]


def load_curriculum(root: Path) -> Curriculum:
    """Read every file of every registered kind under root; check everything; never raise
    on bad content."""
    root = Path(root)
    kinds = registry.registered()
    curriculum = Curriculum(root=root, items={kind.name: {} for kind in kinds})
    reports = []
    for kind in kinds:
        for path in _files_of(root, kind):
            reports.append(_check_file(root, path, kind, curriculum.items[kind.name]))
    problems = [problem for report in reports for problem in report.problems]
    problems += check_claims([claim for report in reports for claim in report.claims])
    problems += check_refs([ref for report in reports for ref in report.refs], curriculum,
                           {report.path for report in reports})
    curriculum.problems = sorted(problems, key=lambda problem: (problem.path, problem.line))
    return curriculum


def _files_of(root: Path, kind: ContentKind) -> list[Path]:
    """A kind's files, sorted; READMEs and hidden (editor) files skipped. A single-file kind
    is always read, so a missing file is reported."""
    if kind.single_file:
        return [root / kind.single_file]
    directory = root / kind.folder
    if not directory.is_dir():
        return []
    found = {path for pattern in kind.patterns for path in directory.glob(pattern)}
    return sorted(path for path in found if path.is_file() and not path.name.startswith(".")
                  and path.name.lower() != "readme.md")


def _check_file(root: Path, path: Path, kind: ContentKind, table: dict) -> FileReport:
    """Parse one file into `table` (first slug wins); its problems go into the report."""
    report = FileReport(path.relative_to(root).as_posix())
    try:
        for item in kind.parse(_read(path, report.path), report):
            table.setdefault(item.slug, item)
    except Unreadable as error:
        report.problem(error.line, error.message)
    except Exception as error:  # noqa: BLE001 - a loader bug must not hide other files' problems
        report.problem(1, f"unexpected error while checking this file ({type(error).__name__}: "
                          f"{error}): fix any mistake you can see and tell the developers")
    return report


def _read(path: Path, rel: str) -> SourceFile:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise Unreadable(1, f"file not found: create {rel}") from None
    except OSError as error:
        raise Unreadable(1, f"cannot read the file ({error.strerror}): "
                            "make it a readable regular file") from None
    return SourceFile(rel, path.stem, decode_utf8(raw), hashlib.sha256(raw).hexdigest())
