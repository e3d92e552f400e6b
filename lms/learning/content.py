"""The learning domain's content kinds: tracks (modules/tracks.yaml) and modules (modules/*.md)."""
from __future__ import annotations

from dataclasses import dataclass, field

from lms.content import kinds
from lms.content.crossref import ORDER, SLUG
from lms.content.fields import Fields, FileReport, is_int, item_line
from lms.content.parsing import SourceFile, check_body, front_matter, mapping_hash, own_slug, read_yaml, ref_list
from lms.content.render import render_markdown
from lms.content.source import Unreadable
from lms.content.sync import SyncReport, sync_rows, word_count
from lms.learning.models import Module, Track

TRACKS_FILE = "modules/tracks.yaml"
TRACK_KEYS = ("slug", "title", "description", "pretest", "posttest")
MODULE_KEYS = ("slug", "title", "track", "order", "duration_minutes", "methods", "objectives",
               "quiz", "cases", "roleplays")
METHODS = ("presentasi", "tanya-jawab", "diskusi-kelompok", "analisis-kasus", "permainan",
           "role-play")


@dataclass
class TrackSource:
    """One entry of modules/tracks.yaml."""

    slug: str
    title: str
    description: str = ""
    pretest: str | None = None
    posttest: str | None = None
    position: int = 0
    path: str = ""
    line: int = 1
    content_hash: str = ""


@dataclass
class ModuleSource:
    """A learning module as written: modules/<slug>.md."""

    slug: str
    title: str
    track: str
    order: int
    duration_minutes: int | None = None
    methods: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    quiz: str | None = None
    cases: list[str] = field(default_factory=list)
    roleplays: list[str] = field(default_factory=list)
    body: str = ""
    path: str = ""
    content_hash: str = ""


# --- tracks -------------------------------------------------------------------------------

def parse_tracks(source: SourceFile, report: FileReport) -> list[TrackSource]:
    data = read_yaml(source.text, report)
    if not isinstance(data, list):
        state = "empty" if data is None else "not a list"
        raise Unreadable(getattr(data, "line", 1), f"{TRACKS_FILE} is {state}: list the tracks, "
                                                   "each as `- slug: ...` with `title: ...`")
    tracks = [_parse_track(node, position, item_line(data, position, 1), report)
              for position, node in enumerate(data)]
    return [track for track in tracks if track is not None]


def _parse_track(node: object, position: int, line: int, report: FileReport) -> TrackSource | None:
    where = f"track {position + 1}"
    if not isinstance(node, dict):
        report.problem(line, f"{where} must be a mapping with `slug:` and `title:`")
        return None
    fields = Fields(node, report, where)
    fields.check_keys(("slug", "title"), TRACK_KEYS)
    slug = fields.slug("slug", required=True)
    track = TrackSource(slug=slug or "", title=fields.text("title", True, ""),
                        description=fields.text("description", default="", allow_empty=True),
                        pretest=fields.slug("pretest"), posttest=fields.slug("posttest"),
                        position=position, path=report.path, line=node.line,
                        content_hash=mapping_hash(node))
    if slug is None:
        return None
    report.claim((SLUG, "track"), slug, fields.line("slug"))
    for kind in ("pretest", "posttest"):
        if getattr(track, kind):
            report.ref(fields.line(kind), "quiz", getattr(track, kind), f"track {kind}", kind)
    return track


def _track_fields(track: TrackSource) -> dict:
    return {"title": track.title, "description_html": render_markdown(track.description),
            "pretest_slug": track.pretest, "posttest_slug": track.posttest,
            "position": track.position}


def sync_tracks(items: dict, report: SyncReport) -> None:
    sync_rows("tracks", Track, items, _track_fields, report)


# --- modules ------------------------------------------------------------------------------

def parse_module(source: SourceFile, report: FileReport) -> list[ModuleSource]:
    split, node = front_matter(source, report)
    fields = Fields(node, report)
    fields.check_keys(("slug", "title", "track", "order", "objectives"), MODULE_KEYS)
    slug = own_slug(fields, "module")
    module = ModuleSource(
        slug=slug or "", title=fields.text("title", True, ""),
        track=fields.slug("track", True) or "", order=fields.integer("order", 0, required=True),
        duration_minutes=fields.integer("duration_minutes", None, minimum=1),
        methods=fields.slug_list("methods", METHODS, "method"),
        objectives=fields.text_list("objectives", True), quiz=fields.slug("quiz"),
        cases=fields.slug_list("cases"), roleplays=fields.slug_list("roleplays"),
        body=split.body, path=source.path, content_hash=source.content_hash)
    check_body(split, report, "module text")
    _module_refs(fields, module)
    return [module] if slug else []


def _module_refs(fields: Fields, module: ModuleSource) -> None:
    report = fields.report
    if module.track:
        report.ref(fields.line("track"), "track", module.track, "track")
        if is_int(fields.data.get("order")):
            report.claim((ORDER, module.track), module.order, fields.line("order"))
    if module.quiz:
        report.ref(fields.line("quiz"), "quiz", module.quiz, "module quiz", "quiz")
    ref_list(fields, "cases", "quiz", "case", "case")
    ref_list(fields, "roleplays", "roleplay", "role-play")


def _module_fields(module: ModuleSource) -> dict:
    return {"title": module.title, "track_slug": module.track, "order": module.order,
            "duration_minutes": module.duration_minutes, "methods": list(module.methods),
            "objectives": list(module.objectives), "quiz_slug": module.quiz,
            "case_slugs": list(module.cases), "roleplay_slugs": list(module.roleplays),
            "body_html": render_markdown(module.body), "word_count": word_count(module.body)}


def sync_modules(items: dict, report: SyncReport) -> None:
    sync_rows("modules", Module, items, _module_fields, report)


kinds.register(kinds.ContentKind(
    name="tracks", noun="track", label="track", folder="modules", patterns=(),
    parse=parse_tracks, sync=sync_tracks, position=10, single_file=TRACKS_FILE, model=Track))
kinds.register(kinds.ContentKind(
    name="modules", noun="module", label="module", folder="modules", patterns=("*.md",),
    parse=parse_module, sync=sync_modules, position=20, model=Module))
