"""The role-play content kind: roleplays/*.md, synced as rows of origin `file`."""
from __future__ import annotations

from dataclasses import dataclass, field

from lms.content import kinds
from lms.content.fields import Fields, FileReport, item_line, repeats
from lms.content.parsing import SourceFile, check_body, front_matter, own_slug
from lms.content.render import render_markdown
from lms.content.source import FrontMatterFile, LineDict
from lms.content.sync import SyncReport, sync_rows
from lms.roleplays.models import RolePlay

ROLEPLAY_KEYS = ("slug", "title", "module", "duration_minutes", "objectives", "roles",
                 "observer_checklist", "debrief")
ROLE_KEYS = ("name", "brief", "secret")


@dataclass
class RoleCard:
    """One role as written; `secret` is shown only to the person playing it."""

    name: str
    brief: str
    secret: str = ""


@dataclass
class RolePlaySource:
    """A role-play as written: roleplays/<slug>.md."""

    slug: str
    title: str
    module: str | None = None
    duration_minutes: int | None = None
    objectives: list[str] = field(default_factory=list)
    roles: list[RoleCard] = field(default_factory=list)
    observer_checklist: list[str] = field(default_factory=list)
    debrief: list[str] = field(default_factory=list)
    scenario: str = ""
    path: str = ""
    content_hash: str = ""


def parse_roleplay(source: SourceFile, report: FileReport) -> list[RolePlaySource]:
    split, node = front_matter(source, report)
    roleplay = roleplay_from_mapping(node, split, report, source.path, source.content_hash)
    return [roleplay] if roleplay.slug else []


def roleplay_from_mapping(node: LineDict, split: FrontMatterFile, report: FileReport,
                          path: str = "", content_hash: str = "") -> RolePlaySource:
    """Check one role-play's front matter and scenario; problems go into the report.

    Files and the browser's form both come through here, so both get the same checks."""
    fields = Fields(node, report)
    fields.check_keys(("slug", "title", "roles", "observer_checklist", "debrief"), ROLEPLAY_KEYS)
    slug = own_slug(fields, "role-play")
    roleplay = RolePlaySource(
        slug=slug or "", title=fields.text("title", True, ""), module=fields.slug("module"),
        duration_minutes=fields.integer("duration_minutes", None, minimum=1),
        objectives=fields.text_list("objectives"), roles=_roles(fields),
        observer_checklist=fields.text_list("observer_checklist", True),
        debrief=fields.text_list("debrief", True), scenario=split.body, path=path,
        content_hash=content_hash)
    check_body(split, report, "scenario")
    if roleplay.module:
        report.ref(fields.line("module"), "module", roleplay.module, "module")
    return roleplay


def _roles(fields: Fields) -> list[RoleCard]:
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


def _role(node: object, index: int, line: int, report: FileReport) -> RoleCard | None:
    where = f"role {index + 1}"
    if not isinstance(node, dict):
        report.problem(line, f"{where} must be a mapping with `name:`, `brief:` and `secret:`")
        return None
    fields = Fields(node, report, where)
    fields.check_keys(("name", "brief"), ROLE_KEYS)
    return RoleCard(name=fields.text("name", True, ""), brief=fields.text("brief", True, ""),
                    secret=fields.text("secret", default="", allow_empty=True))


def roleplay_fields(rp: RolePlaySource) -> dict:
    """The stored columns of a role-play, its Markdown rendered and sanitised, and the text
    as written (`source`) for editing, duplicating and export."""
    roles = [{"name": r.name, "brief_html": render_markdown(r.brief),
              "secret_html": render_markdown(r.secret)} for r in rp.roles]
    return {"title": rp.title, "module_slug": rp.module, "duration_minutes": rp.duration_minutes,
            "objectives": list(rp.objectives), "roles": roles,
            "observer_checklist": list(rp.observer_checklist), "debrief": list(rp.debrief),
            "scenario_html": render_markdown(rp.scenario), "source": source_of(rp)}


def source_of(rp: RolePlaySource) -> dict:
    """A role-play's text as written, as plain JSON-ready data (no slug, no path)."""
    return {"title": rp.title, "module": rp.module, "duration_minutes": rp.duration_minutes,
            "objectives": list(rp.objectives),
            "roles": [{"name": r.name, "brief": r.brief, "secret": r.secret} for r in rp.roles],
            "observer_checklist": list(rp.observer_checklist), "debrief": list(rp.debrief),
            "scenario": rp.scenario}


def from_source(slug: str, source: dict) -> RolePlaySource:
    """The inverse of `source_of`."""
    return RolePlaySource(
        slug=slug, title=source.get("title", ""), module=source.get("module"),
        duration_minutes=source.get("duration_minutes"),
        objectives=list(source.get("objectives") or []),
        roles=[RoleCard(r["name"], r["brief"], r.get("secret", "")) for r in source.get("roles", [])],
        observer_checklist=list(source.get("observer_checklist") or []),
        debrief=list(source.get("debrief") or []), scenario=source.get("scenario", ""))


def roleplay_markdown(rp: RolePlaySource) -> str:
    """A role-play in the `roleplays/<slug>.md` format: front matter, then the scenario."""
    front: dict = {"slug": rp.slug, "title": rp.title}
    if rp.module:
        front["module"] = rp.module
    if rp.duration_minutes:
        front["duration_minutes"] = rp.duration_minutes
    if rp.objectives:
        front["objectives"] = list(rp.objectives)
    front["roles"] = [{"name": r.name, "brief": r.brief, **({"secret": r.secret} if r.secret else {})}
                      for r in rp.roles]
    front["observer_checklist"] = list(rp.observer_checklist)
    front["debrief"] = list(rp.debrief)
    import yaml  # here: web workers import this module with the content kinds, seldom this
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100,
                            default_flow_style=False)
    return f"---\n{dumped}---\n\n{rp.scenario.strip(chr(10))}\n"


def sync_roleplays(items: dict, report: SyncReport) -> None:
    sync_rows("role-plays", RolePlay, items, roleplay_fields, report)


kinds.register(kinds.ContentKind(
    name="roleplays", noun="roleplay", label="role-play", folder="roleplays", patterns=("*.md",),
    parse=parse_roleplay, sync=sync_roleplays, position=40, model=RolePlay))
