"""Reading progress rules. They flush, never commit, and never touch the request."""
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lms.core.page_stamps import site_memo
from lms.extensions import db
from lms.learning.models import Module, ModuleProgress, Track

# Lists of modules (a home page, a track's prev/next, a cohort's requirements) never show a
# body, objectives or methods: the 29 shipped bodies are 355 KB of HTML to read on every
# such page, the others JSON to decode. One read anyway loads on access.
_WITHOUT_BODY = (sa.orm.defer(Module.body_html), sa.orm.defer(Module.objectives), sa.orm.defer(Module.methods))


# Built once (every trainee page asks); the statement cost as much to build as to run.
_READ_SLUGS = sa.select(ModuleProgress.module_slug).where(ModuleProgress.user_id == sa.bindparam("user_id"))
_TRACK_MODULES = (sa.select(Module).options(*_WITHOUT_BODY)
                  .where(Module.track_slug == sa.bindparam("track_slug"), Module.retired_at.is_(None))
                  .order_by(Module.order))


def read_module_slugs(user_id: int) -> set[str]:
    """Slugs of the modules this user has marked read."""
    return set(db.session.scalars(_READ_SLUGS, {"user_id": user_id}))


def mark_read(user_id: int, module_slug: str) -> bool:
    """Record that the user read the module; True if this is new. Safe to repeat."""
    exists = db.session.scalar(sa.select(ModuleProgress.id).where(
        ModuleProgress.user_id == user_id, ModuleProgress.module_slug == module_slug))
    if exists:
        return False
    try:
        with db.session.begin_nested():  # a double tap may have recorded it a moment ago
            db.session.add(ModuleProgress(user_id=user_id, module_slug=module_slug))
    except IntegrityError:
        return False
    return True


class TrackOutline(NamedTuple):
    """What a list of tracks (a home page, the curriculum) shows of a track."""

    slug: str
    title: str
    pretest_slug: str | None
    posttest_slug: str | None


class ModuleOutline(NamedTuple):
    """What such a list shows of a module, and what its completion needs (its quizzes)."""

    slug: str
    title: str
    order: int
    track_slug: str
    quiz_slug: str | None
    case_slugs: list | None


_OUTLINE = (sa.select(Track.slug, Track.title, Track.pretest_slug, Track.posttest_slug,
                      Module.slug, Module.title, Module.order, Module.track_slug, Module.quiz_slug, Module.case_slugs)
            .outerjoin(Module, sa.and_(Module.track_slug == Track.slug, Module.retired_at.is_(None)))
            .where(Track.retired_at.is_(None)).order_by(Track.position, Track.id, Module.order, Module.id))


@site_memo
def tracks_with_modules() -> tuple[tuple[TrackOutline, tuple[ModuleOutline, ...]], ...]:
    """Active tracks in order, each with its active modules in order, in one query of the
    columns a list shows (entities cost twice as much to load, and nothing here changes them);
    remembered until the site's stamp changes (every trainee's home asks)."""
    tracks: dict[str, tuple[TrackOutline, list[ModuleOutline]]] = {}
    for row in db.session.execute(_OUTLINE):
        track = tracks.get(row[0])
        if track is None:
            track = tracks[row[0]] = (TrackOutline(*row[:4]), [])
        if row[4] is not None:
            track[1].append(ModuleOutline(*row[4:]))
    return tuple((outline, tuple(modules)) for outline, modules in tracks.values())


def track_modules(track_slug: str) -> list[Module]:
    """The active modules of a track, in order."""
    return list(db.session.scalars(_TRACK_MODULES, {"track_slug": track_slug}))


class Neighbour(NamedTuple):
    """A module beside another in its track, as a prev/next link shows it."""

    slug: str
    title: str


# The track's modules in order, as links: three columns, not entities (a track of 16
# modules made 16 ORM objects to show two titles).
_NEIGHBOURS = (sa.select(Module.id, Module.slug, Module.title)
               .where(Module.track_slug == sa.bindparam("track_slug"), Module.retired_at.is_(None))
               .order_by(Module.order))


def track_neighbours(module: Module) -> tuple[Neighbour | None, Neighbour | None]:
    """The modules before and after this one in its track."""
    return _neighbours(module.track_slug, module.id)


@site_memo
def _neighbours(track_slug: str, module_id: int) -> tuple[Neighbour | None, Neighbour | None]:
    siblings = db.session.execute(_NEIGHBOURS, {"track_slug": track_slug}).all()
    index = next((i for i, row in enumerate(siblings) if row[0] == module_id), None)
    if index is None:
        return None, None
    before = Neighbour(*siblings[index - 1][1:]) if index > 0 else None
    after = Neighbour(*siblings[index + 1][1:]) if index + 1 < len(siblings) else None
    return before, after


def module_titles(track_slug: str) -> dict[str, str]:
    """Module titles by slug for one track, in track order, in one query."""
    return dict(db.session.execute(sa.select(Module.slug, Module.title).where(
        Module.track_slug == track_slug).order_by(Module.order, Module.slug)).all())


def activity_titles(module: Module) -> dict[str, str]:
    """Titles of the quiz, case analyses and role-plays a module points at, by slug (two
    queries, remembered until the site's stamp changes), so pages name them instead of
    showing slugs. A new dict each call: the remembered one is shared."""
    return dict(_titles(tuple(s for s in [module.quiz_slug, *module.case_slugs] if s),
                        tuple(module.roleplay_slugs or ())))


@site_memo
def _titles(quizzes: tuple[str, ...], roleplays: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    from lms.content import kinds
    slugs = {"quizzes": list(quizzes), "roleplays": list(roleplays)}
    titles: dict[str, str] = {}
    for kind_name, wanted in slugs.items():
        model = kinds.model_of(kind_name)
        if wanted and model is not None:
            titles.update(db.session.execute(
                sa.select(model.slug, model.title).where(model.slug.in_(wanted))).all())
    return tuple(titles.items())
