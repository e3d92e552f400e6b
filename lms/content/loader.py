"""Load and check the curriculum content tree (tracks, modules, quizzes, role-plays).

`load_curriculum(root)` never raises on bad content: everything wrong is returned as a
`Problem` naming the file, the line and what to do, so writers can fix all of it at once.
The caller refuses to sync while `Curriculum.problems` is non-empty.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from lms.content.crossref import ORDER, SLUG, check_claims, check_refs
from lms.content.fields import SLUG_RE, Fields, FileReport, is_int, item_line, repeats
from lms.content.records import (
    METHODS,
    QUESTION_TYPES,
    QUIZ_KINDS,
    Curriculum,
    Module,
    Problem,
    Question,
    Quiz,
    Role,
    RolePlay,
    Track,
)
from lms.content.schema import parse_questions
from lms.content.source import (
    FrontMatterFile,
    LineDict,
    Unreadable,
    decode_utf8,
    parse_yaml,
    split_front_matter,
)

__all__ = ["load_curriculum", "Curriculum", "Track", "Module", "Question", "Quiz", "Role",
           "RolePlay", "Problem", "QUESTION_TYPES", "QUIZ_KINDS", "METHODS"]

TRACK_KEYS = ("slug", "title", "description", "pretest", "posttest")
MODULE_KEYS = ("slug", "title", "track", "order", "duration_minutes", "methods", "objectives",
               "quiz", "cases", "roleplays")
QUIZ_KEYS = ("slug", "title", "kind", "pass_mark", "max_attempts", "shuffle", "case",
             "questions", "description")
ROLEPLAY_KEYS = ("slug", "title", "module", "duration_minutes", "objectives", "roles",
                 "observer_checklist", "debrief")
ROLE_KEYS = ("name", "brief", "secret")
TRACKS_FILE = "modules/tracks.yaml"


@dataclass
class SourceFile:
    """A content file's decoded text and identity (path, stem, hash of the raw bytes)."""

    path: str           # relative to the content root, POSIX style
    stem: str           # file name without extension: must equal the slug
    text: str
    content_hash: str


def load_curriculum(root: Path) -> Curriculum:
    """Read modules/tracks.yaml, modules/*.md, quizzes/*.yaml|*.yml, roleplays/*.md under root;
    check everything; never raise on bad content."""
    root = Path(root)
    curriculum = Curriculum(root=root)
    reports = [_check_file(root, root / TRACKS_FILE, _parse_tracks, curriculum.tracks)]
    for directory, patterns, parser, table in (
            ("modules", ("*.md",), _parse_module, curriculum.modules),
            ("quizzes", ("*.yaml", "*.yml"), _parse_quiz, curriculum.quizzes),
            ("roleplays", ("*.md",), _parse_roleplay, curriculum.roleplays)):
        for path in _content_files(root / directory, patterns):
            reports.append(_check_file(root, path, parser, table))
    problems = [problem for report in reports for problem in report.problems]
    problems += check_claims([claim for report in reports for claim in report.claims])
    problems += check_refs([ref for report in reports for ref in report.refs], curriculum,
                           {report.path for report in reports})
    curriculum.problems = sorted(problems, key=lambda problem: (problem.path, problem.line))
    return curriculum


def _content_files(directory: Path, patterns: tuple[str, ...]) -> list[Path]:
    """Content files in one directory, sorted; READMEs and hidden (editor) files skipped."""
    if not directory.is_dir():
        return []
    found = {path for pattern in patterns for path in directory.glob(pattern)}
    return sorted(path for path in found if path.is_file() and not path.name.startswith(".")
                  and path.name.lower() != "readme.md")


Parser = Callable[[SourceFile, FileReport], list]


def _check_file(root: Path, path: Path, parser: Parser, table: dict) -> FileReport:
    """Parse one file into `table` (first slug wins); its problems go into the report."""
    report = FileReport(path.relative_to(root).as_posix())
    try:
        for item in parser(_read(path, report.path), report):
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


def _yaml(text: str, report: FileReport, line_offset: int = 0) -> object:
    """Parse YAML, reporting keys written twice in one mapping."""
    doc = parse_yaml(text, line_offset)
    for line, key, first in doc.duplicates:
        report.problem(line, f"key `{key}` appears twice (first on line {first}): "
                             "keep only one, the last one would silently win")
    return doc.data


def _front_matter(source: SourceFile, report: FileReport) -> tuple[FrontMatterFile, LineDict]:
    """Split a Markdown file and parse its front matter, which must be a mapping."""
    split = split_front_matter(source.text)
    data = _yaml(split.yaml_text, report, split.yaml_offset)
    if not isinstance(data, dict):
        state = "empty" if data is None else "not a set of `key: value` lines"
        raise Unreadable(split.yaml_offset + 1, f"front matter is {state}: write the keys (`slug: "
                                                "...`, `title: ...`) between the `---` lines")
    return split, data


def _check_body(split: FrontMatterFile, report: FileReport, what: str) -> None:
    if not split.body.strip():
        report.problem(split.body_line - 1, f"the {what} below the front matter is empty: "
                                            "write the Markdown text after the closing `---`")


def _own_slug(fields: Fields, source: SourceFile, noun: str) -> str | None:
    """The item's `slug`, which must be unique.

    The file name is not required to match: the format names files only by folder, and
    authors number or group their files freely (the shipped curriculum does match).
    """
    slug = fields.slug("slug", required=True)
    if slug is None:
        return None
    fields.report.claim((SLUG, noun), slug, fields.line("slug"))
    return slug


def _ref_list(fields: Fields, key: str, target: str, role: str, kind: str | None = None) -> None:
    """Record a reference for each valid slug of the list under `key`."""
    seq = fields.data.get(key)
    for index, slug in enumerate(seq if isinstance(seq, list) else []):
        if isinstance(slug, str) and SLUG_RE.fullmatch(slug):
            fields.report.ref(item_line(seq, index, fields.line(key)), target, slug, role, kind)


# --- tracks -------------------------------------------------------------------------------

def _parse_tracks(source: SourceFile, report: FileReport) -> list[Track]:
    data = _yaml(source.text, report)
    if not isinstance(data, list):
        state = "empty" if data is None else "not a list"
        raise Unreadable(getattr(data, "line", 1), f"{TRACKS_FILE} is {state}: list the tracks, "
                                                   "each as `- slug: ...` with `title: ...`")
    tracks = [_parse_track(node, position, item_line(data, position, 1), report)
              for position, node in enumerate(data)]
    return [track for track in tracks if track is not None]


def _parse_track(node: object, position: int, line: int, report: FileReport) -> Track | None:
    where = f"track {position + 1}"
    if not isinstance(node, dict):
        report.problem(line, f"{where} must be a mapping with `slug:` and `title:`")
        return None
    fields = Fields(node, report, where)
    fields.check_keys(("slug", "title"), TRACK_KEYS)
    slug = fields.slug("slug", required=True)
    track = Track(slug=slug or "", title=fields.text("title", True, ""),
                  description=fields.text("description", default="", allow_empty=True),
                  pretest=fields.slug("pretest"), posttest=fields.slug("posttest"),
                  position=position, path=report.path, line=node.line,
                  content_hash=_mapping_hash(node))
    if slug is None:
        return None
    report.claim((SLUG, "track"), slug, fields.line("slug"))
    for kind in ("pretest", "posttest"):
        if getattr(track, kind):
            report.ref(fields.line(kind), "quiz", getattr(track, kind), f"track {kind}", kind)
    return track


def _mapping_hash(node: dict) -> str:
    """Hash of one track alone, so editing one track leaves the others' hashes alone."""
    dumped = yaml.safe_dump(_plain(node), sort_keys=True, allow_unicode=True)
    return hashlib.sha256(dumped.encode("utf-8")).hexdigest()


def _plain(value: object) -> object:
    # safe_dump refuses dict/list subclasses such as LineDict, and cannot sort mixed key types.
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


# --- modules ------------------------------------------------------------------------------

def _parse_module(source: SourceFile, report: FileReport) -> list[Module]:
    split, node = _front_matter(source, report)
    fields = Fields(node, report)
    fields.check_keys(("slug", "title", "track", "order", "objectives"), MODULE_KEYS)
    slug = _own_slug(fields, source, "module")
    module = Module(
        slug=slug or "", title=fields.text("title", True, ""),
        track=fields.slug("track", True) or "", order=fields.integer("order", 0, required=True),
        duration_minutes=fields.integer("duration_minutes", None, minimum=1),
        methods=fields.slug_list("methods", METHODS, "method"),
        objectives=fields.text_list("objectives", True), quiz=fields.slug("quiz"),
        cases=fields.slug_list("cases"), roleplays=fields.slug_list("roleplays"),
        body=split.body, path=source.path, content_hash=source.content_hash)
    _check_body(split, report, "module text")
    _module_refs(fields, module)
    return [module] if slug else []


def _module_refs(fields: Fields, module: Module) -> None:
    report = fields.report
    if module.track:
        report.ref(fields.line("track"), "track", module.track, "track")
        if is_int(fields.data.get("order")):
            report.claim((ORDER, module.track), module.order, fields.line("order"))
    if module.quiz:
        report.ref(fields.line("quiz"), "quiz", module.quiz, "module quiz", "quiz")
    _ref_list(fields, "cases", "quiz", "case", "case")
    _ref_list(fields, "roleplays", "roleplay", "role-play")


# --- quizzes ------------------------------------------------------------------------------

def _parse_quiz(source: SourceFile, report: FileReport) -> list[Quiz]:
    node = _yaml(source.text, report)
    if not isinstance(node, dict):
        raise Unreadable(getattr(node, "line", 1), "a quiz file must be a set of `key: value` "
                                                   "lines (`slug:`, `title:`, `questions:` ...)")
    fields = Fields(node, report)
    fields.check_keys(("slug", "title", "questions"), QUIZ_KEYS)
    slug = _own_slug(fields, source, "quiz")
    kind = fields.choice("kind", QUIZ_KINDS, None, "quiz kind", required=True)
    quiz = Quiz(slug=slug or "", title=fields.text("title", True, ""), kind=kind or "quiz",
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


def _check_case(fields: Fields, quiz: Quiz) -> None:
    """A case study carries its story in `case`; other kinds must not have one."""
    if quiz.kind == "case" and "case" not in fields.data:
        fields.problem("kind", "a quiz with kind: case needs `case`: add `case: |` followed by "
                               "the case story, indented")
    if quiz.kind != "case" and "case" in fields.data:
        fields.problem("case", f"`case` is only used by quizzes with kind: case, this one has "
                               f"kind {quiz.kind}: remove `case` or set `kind: case`")


# --- role-plays ---------------------------------------------------------------------------

def _parse_roleplay(source: SourceFile, report: FileReport) -> list[RolePlay]:
    split, node = _front_matter(source, report)
    fields = Fields(node, report)
    fields.check_keys(("slug", "title", "roles", "observer_checklist", "debrief"), ROLEPLAY_KEYS)
    slug = _own_slug(fields, source, "role-play")
    roleplay = RolePlay(
        slug=slug or "", title=fields.text("title", True, ""), module=fields.slug("module"),
        duration_minutes=fields.integer("duration_minutes", None, minimum=1),
        objectives=fields.text_list("objectives"), roles=_roles(fields),
        observer_checklist=fields.text_list("observer_checklist", True),
        debrief=fields.text_list("debrief", True), scenario=split.body, path=source.path,
        content_hash=source.content_hash)
    _check_body(split, report, "scenario")
    if roleplay.module:
        report.ref(fields.line("module"), "module", roleplay.module, "module")
    return [roleplay] if slug else []


def _roles(fields: Fields) -> list[Role]:
    seq = fields.sequence("roles", required=True)
    if seq is None:
        return []
    if len(seq) < 2:
        fields.problem("roles", f"a role-play needs at least 2 roles, this one has {len(seq)}: "
                                "add roles (`- name: ...` with `brief: ...`)")
    roles = [_role(node, index, item_line(seq, index, fields.line("roles")), fields.report)
             for index, node in enumerate(seq)]
    names = [(index, role.name) for index, role in enumerate(roles) if role and role.name]
    for index, first in repeats(names):
        fields.report.problem(item_line(seq, index, fields.line("roles")),
                              f"role {index + 1} has the same name as role {first + 1}: "
                              "give each role its own name")
    return [role for role in roles if role is not None]


def _role(node: object, index: int, line: int, report: FileReport) -> Role | None:
    where = f"role {index + 1}"
    if not isinstance(node, dict):
        report.problem(line, f"{where} must be a mapping with `name:`, `brief:` and `secret:`")
        return None
    fields = Fields(node, report, where)
    fields.check_keys(("name", "brief"), ROLE_KEYS)
    return Role(name=fields.text("name", True, ""), brief=fields.text("brief", True, ""),
                secret=fields.text("secret", default="", allow_empty=True))
