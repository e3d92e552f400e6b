"""Authoring role-plays in the browser and through files: checking, saving, publishing,
versions, duplicating the shipped ones, import and export. Flushes, never commits.

The browser's form is checked by the same parser as `content check`
(`roleplay_from_mapping`): the form is turned into the mapping a file would give, with
made-up line numbers that say which form field each key came from.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

import sqlalchemy as sa

from lms.accounts.models import User
from lms.cohorts.access import visible_cohorts
from lms.cohorts.models import Cohort, Enrollment
from lms.content.fields import FileReport
from lms.content.models import Origin
from lms.content.parsing import SourceFile
from lms.content.records import Problem
from lms.content.source import FrontMatterFile, LineDict, LineList, Unreadable, decode_utf8
from lms.core.i18n import gettext as _
from lms.core.personal_data import Found, personal_data_in
from lms.extensions import db
from lms.learning.models import Module
from lms.roleplays.content import (
    RolePlaySource,
    from_source,
    parse_roleplay,
    roleplay_fields,
    roleplay_from_mapping,
    roleplay_markdown,
)
from lms.roleplays.models import RolePlay, RolePlayVersion
from lms.timeutil import utcnow

LIST_FIELDS = ("objectives", "observer_checklist", "debrief")
ROLE_FIELDS = ("name", "brief", "secret")
MAX_ROLES = 12

# Made-up "lines" for the form's fields, so a problem names the field it concerns.
_LINES = {"title": 1, "module": 2, "duration_minutes": 3, "objectives": 4, "roles": 5,
          "observer_checklist": 6, "debrief": 7, "scenario": 8, "slug": 9}
_ITEM_BASE = {"objectives": 1000, "observer_checklist": 2000, "debrief": 3000}
_ROLE_BASE = 100


# --- the form ------------------------------------------------------------------------------

def empty_form() -> dict:
    """A new role-play's form: two empty roles."""
    return {"title": "", "module": "", "duration_minutes": "", "objectives": "",
            "observer_checklist": "", "debrief": "", "scenario": "",
            "roles": [{"name": "", "brief": "", "secret": ""} for _ in range(2)]}


def form_from_source(source: dict) -> dict:
    """The form filled from a role-play's text as written."""
    return {"title": source.get("title", ""), "module": source.get("module") or "",
            "duration_minutes": str(source.get("duration_minutes") or ""),
            "scenario": (source.get("scenario") or "").strip("\n"),
            "roles": [dict(role) for role in source.get("roles", [])],
            **{key: "\n".join(source.get(key) or []) for key in LIST_FIELDS}}


def read_form(form: Mapping) -> dict:
    """The role-play form as posted: list fields one item per line, roles `roles-N-name`...
    in the order of N. Rows with every field blank are dropped (that is how a row goes)."""
    data = {key: _clean(form.get(key, "")) for key in
            ("title", "module", "duration_minutes", "scenario", *LIST_FIELDS)}
    indexes = sorted({int(m.group(1)) for key in form
                      if (m := re.fullmatch(r"roles-(\d+)-(name|brief|secret)", key))})
    roles = [{f: _clean(form.get(f"roles-{i}-{f}", "")) for f in ROLE_FIELDS} for i in indexes]
    data["roles"] = [r for r in roles if any(v.strip() for v in r.values())][:MAX_ROLES]
    return data


def apply_action(data: dict, action: str) -> bool:
    """Add, remove or move a role without JavaScript (`add-role`, `remove-role-N`,
    `up-role-N`, `down-role-N`). Returns False when the action is not one of these."""
    roles = data["roles"]
    if action == "add-role":
        if len(roles) < MAX_ROLES:
            roles.append({"name": "", "brief": "", "secret": ""})
        return True
    match = re.fullmatch(r"(remove|up|down)-role-(\d+)", action or "")
    if not match or int(match.group(2)) >= len(roles):
        return False
    what, index = match.group(1), int(match.group(2))
    if what == "remove":
        roles.pop(index)
    elif what == "up" and index > 0:
        roles[index - 1], roles[index] = roles[index], roles[index - 1]
    elif what == "down" and index < len(roles) - 1:
        roles[index + 1], roles[index] = roles[index], roles[index + 1]
    return True


def _clean(value: str) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


@dataclass
class Checked:
    """The result of checking a form: the role-play, or the problems per form field."""

    roleplay: RolePlaySource | None
    errors: dict[str, list[str]] = field(default_factory=dict)


def check_form(data: dict, slug: str = "draft") -> Checked:
    """Check the form with the content parser; messages in the person's language."""
    node = _node({"slug": slug, "title": data["title"].strip()})
    if data["module"]:
        node["module"], node.key_lines["module"] = data["module"], _LINES["module"]
    duration = data["duration_minutes"].strip()
    if duration:
        node["duration_minutes"] = int(duration) if duration.isdigit() else duration
        node.key_lines["duration_minutes"] = _LINES["duration_minutes"]
    for key in LIST_FIELDS:
        items = _lines(data[key])
        if items or key != "objectives":
            node[key], node.key_lines[key] = _list(items, _ITEM_BASE[key], _LINES[key]), _LINES[key]
    roles = LineList(_role_node(role, i) for i, role in enumerate(data["roles"]))
    roles.line, roles.item_lines = _LINES["roles"], [_ROLE_BASE + 10 * i for i in range(len(roles))]
    node["roles"], node.key_lines["roles"] = roles, _LINES["roles"]
    scenario = data["scenario"].strip("\n")
    split = FrontMatterFile("", 0, scenario + "\n" if scenario.strip() else "", _LINES["scenario"] + 1)
    report = FileReport("form")
    roleplay = roleplay_from_mapping(node, split, report)
    problems = report.problems + module_problems(report)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(_field_of(problem.line), []).append(_translate(problem.message))
    if len(data["title"].strip()) > 300:
        errors.setdefault("title", []).append(_("Field cannot be longer than %(max)d characters.",
                                                max=300))
    return Checked(None if errors else roleplay, errors)


def _node(values: dict) -> LineDict:
    node = LineDict(values)
    node.line, node.key_lines = 0, {key: _LINES[key] for key in values}
    return node


def _list(items: list[str], base: int, line: int) -> LineList:
    seq = LineList(items)
    seq.line, seq.item_lines = line, [base + i for i in range(len(items))]
    return seq


def _role_node(role: dict, index: int) -> LineDict:
    node = LineDict({"name": role["name"].strip(), "brief": role["brief"].strip(),
                     "secret": role["secret"].strip()})
    base = _ROLE_BASE + 10 * index
    node.line, node.key_lines = base, {f: base + 1 + i for i, f in enumerate(ROLE_FIELDS)}
    return node


def _field_of(line: int) -> str:
    if line >= 1000:
        return {1: "objectives", 2: "observer_checklist", 3: "debrief"}.get(line // 1000, "")
    if line >= _ROLE_BASE:
        index, part = divmod(line - _ROLE_BASE, 10)
        return f"roles-{index}-{ROLE_FIELDS[part - 1] if 1 <= part <= 3 else 'name'}"
    return {line: key for key, line in _LINES.items()}.get(line, "")


# The parser's messages (English, for files) as the person reads them beside a field.
_MESSAGES = [
    (re.compile(r"(?:role \d+: )?(?:`\w+` is empty|missing required key)"),
     lambda m: _("This field is empty: write something here.")),
    (re.compile(r"a role-play needs at least 2 roles, this one has (\d+)"),
     lambda m: _("A role-play needs at least 2 roles; this one has %(n)s: add a role.",
                 n=m.group(1))),
    (re.compile(r"role (\d+) has the same name as role (\d+)"),
     lambda m: _("Role %(this)s has the same name as role %(first)s: give each role its own name.",
                 this=m.group(1), first=m.group(2))),
    (re.compile(r"`\w+` is an empty list"),
     lambda m: _("Write at least one item, one per line.")),
    (re.compile(r"`duration_minutes` must be"),
     lambda m: _("The duration must be a whole number of minutes, 1 or more.")),
    (re.compile(r"the scenario below the front matter is empty"),
     lambda m: _("The scenario is empty: write the situation everyone reads.")),
    (re.compile(r"module `[^`]+` not found"),
     lambda m: _("This module does not exist: choose another one.")),
]


def _translate(message: str) -> str:
    for pattern, text in _MESSAGES:
        match = pattern.match(message)
        if match:
            return text(match)
    return message


def module_problems(report: FileReport) -> list[Problem]:
    """The module references of a checked file or form that name no active module."""
    slugs = {ref.slug for ref in report.refs if ref.target == "module"}
    known = set(db.session.scalars(sa.select(Module.slug).where(
        Module.slug.in_(slugs), Module.retired_at.is_(None)))) if slugs else set()
    return [Problem(report.path, ref.line, f"module `{ref.slug}` not found: use the slug of an "
                                           "existing module or remove `module:`")
            for ref in report.refs if ref.target == "module" and ref.slug not in known]


# --- personal data -------------------------------------------------------------------------

def trainee_names(author: User) -> list[str]:
    """Names of the trainees of the cohorts the author may open (one query)."""
    cohort_ids = visible_cohorts(author).with_only_columns(Cohort.id)
    rows = db.session.execute(
        sa.select(User.display_name, User.username).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id.in_(cohort_ids), User.erased_at.is_(None)).distinct())
    return sorted({name for row in rows for name in row if name})


def personal_data_warnings(source: dict, names: list[str]) -> list[tuple[str, Found]]:
    """(field, what was found) for every piece of personal data in a role-play's text."""
    out = []
    texts = [("title", source.get("title", "")), ("scenario", source.get("scenario", ""))]
    texts += [(key, "\n".join(source.get(key) or [])) for key in LIST_FIELDS]
    for i, role in enumerate(source.get("roles", [])):
        texts += [(f"roles-{i}-{f}", role.get(f, "")) for f in ROLE_FIELDS]
    for name, text in texts:
        out += [(name, found) for found in personal_data_in(text, names)]
    return out


# --- saving, publishing, versions ----------------------------------------------------------

def unique_slug(wanted: str) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... whichever no role-play has yet."""
    base = (re.sub(r"[^a-z0-9]+", "-", wanted.lower()).strip("-") or "role-play")[:90].strip("-")
    taken = set(db.session.scalars(sa.select(RolePlay.slug).where(RolePlay.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _hash(rp: RolePlaySource) -> str:
    return hashlib.sha256(roleplay_markdown(rp).encode("utf-8")).hexdigest()


def _write(row: RolePlay, rp: RolePlaySource, user_id: int | None) -> None:
    rp.slug = row.slug
    for name, value in roleplay_fields(rp).items():
        setattr(row, name, value)
    row.content_hash, row.synced_at, row.updated_by = _hash(rp), utcnow(), user_id


def create_authored(rp: RolePlaySource, organisation_id: int, user_id: int | None,
                    slug: str | None = None) -> RolePlay:
    """A new draft of the organisation."""
    row = RolePlay(slug=unique_slug(slug or rp.title), origin=Origin.AUTHORED, source_path="",
                   organisation_id=organisation_id)
    _write(row, rp, user_id)
    db.session.add(row)
    db.session.flush()
    return row


def save_authored(row: RolePlay, rp: RolePlaySource, user_id: int | None) -> RolePlayVersion | None:
    """Save the text; a published role-play gets a new version (returned) when it changed."""
    if not row.authored:
        raise ValueError("shipped role-plays are read-only")
    _write(row, rp, user_id)
    db.session.flush()
    return ensure_version(row, user_id) if row.published else None


def publish(row: RolePlay, user_id: int | None) -> RolePlayVersion:
    """Publish a draft: it can be run from now on."""
    if row.published_at is None:
        row.published_at = utcnow()
    return ensure_version(row, user_id)


def duplicate(row: RolePlay, organisation_id: int, user_id: int | None) -> RolePlay:
    """A shipped (or the organisation's) role-play copied into the organisation as a draft."""
    source = dict(row.source or {})
    if not source:
        raise ValueError("this role-play's text is not stored: run `content sync` again")
    return create_authored(from_source("", source), organisation_id, user_id, slug=row.slug)


def latest_version(roleplay_id: int) -> RolePlayVersion | None:
    return db.session.scalar(sa.select(RolePlayVersion).where(
        RolePlayVersion.roleplay_id == roleplay_id).order_by(RolePlayVersion.number.desc()).limit(1))


def ensure_version(row: RolePlay, user_id: int | None) -> RolePlayVersion:
    """The version holding the role-play's current text, made if the text changed since the
    last one. Versions are never changed afterwards."""
    latest = latest_version(row.id)
    if latest is not None and latest.content_hash == row.content_hash:
        return latest
    version = RolePlayVersion(
        roleplay_id=row.id, number=(latest.number + 1) if latest else 1,
        content_hash=row.content_hash, title=row.title, duration_minutes=row.duration_minutes,
        objectives=list(row.objectives), roles=[dict(r) for r in row.roles],
        observer_checklist=list(row.observer_checklist), debrief=list(row.debrief),
        scenario_html=row.scenario_html, source=dict(row.source) if row.source else None,
        created_by=user_id)
    db.session.add(version)
    db.session.flush()
    return version


# --- files ---------------------------------------------------------------------------------

def check_file(filename: str, raw: bytes) -> tuple[RolePlaySource | None, list[Problem]]:
    """A role-play file checked as `content check` would, plus its module reference."""
    path = PurePath(filename or "roleplay.md").name
    report = FileReport(path)
    items: list[RolePlaySource] = []
    try:
        text = decode_utf8(raw)
        items = parse_roleplay(SourceFile(path, PurePath(path).stem, text,
                                          hashlib.sha256(raw).hexdigest()), report)
    except Unreadable as error:
        report.problem(error.line, error.message)
    problems = sorted(report.problems + module_problems(report), key=lambda p: p.line)
    if not items and not problems:
        problems = [Problem(path, 1, "no role-play found: write the front matter with `slug:`")]
    return (items[0] if items and not problems else None), problems


def import_file(filename: str, raw: bytes, organisation_id: int,
                user_id: int | None) -> tuple[RolePlay | None, list[Problem]]:
    """Create an authored, published role-play from a file; nothing is saved on a problem.
    The file's slug is kept unless taken (then `-2`, `-3`... is added)."""
    rp, problems = check_file(filename, raw)
    if rp is None:
        return None, problems
    row = create_authored(rp, organisation_id, user_id, slug=rp.slug)
    publish(row, user_id)
    return row, []


def export_markdown(row: RolePlay) -> str:
    """The role-play in the `roleplays/<slug>.md` format."""
    if not row.source:
        raise ValueError("this role-play's text is not stored: run `content sync` again")
    return roleplay_markdown(from_source(row.slug, row.source))
