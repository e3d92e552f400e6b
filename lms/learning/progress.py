"""Reading progress rules. They flush, never commit, and never touch the request."""
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

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


def tracks_with_modules() -> list[tuple[Track, list[Module]]]:
    """Active tracks in order, each with its active modules in order (two queries)."""
    tracks = db.session.scalars(
        sa.select(Track).where(Track.retired_at.is_(None)).order_by(Track.position, Track.id)).all()
    modules = db.session.scalars(
        sa.select(Module).options(*_WITHOUT_BODY).where(Module.retired_at.is_(None))
        .order_by(Module.track_slug, Module.order)).all()
    by_track: dict[str, list[Module]] = {t.slug: [] for t in tracks}
    for module in modules:
        by_track.get(module.track_slug, []).append(module)
    return [(t, by_track[t.slug]) for t in tracks]


def track_modules(track_slug: str) -> list[Module]:
    """The active modules of a track, in order."""
    return list(db.session.scalars(_TRACK_MODULES, {"track_slug": track_slug}))


def track_neighbours(module: Module) -> tuple[Module | None, Module | None]:
    """The modules before and after this one in its track."""
    siblings = track_modules(module.track_slug)
    index = next((i for i, m in enumerate(siblings) if m.id == module.id), None)
    if index is None:
        return None, None
    before = siblings[index - 1] if index > 0 else None
    after = siblings[index + 1] if index + 1 < len(siblings) else None
    return before, after


def module_titles(track_slug: str) -> dict[str, str]:
    """Module titles by slug for one track, in track order, in one query."""
    return dict(db.session.execute(sa.select(Module.slug, Module.title).where(
        Module.track_slug == track_slug).order_by(Module.order, Module.slug)).all())


def activity_titles(module: Module) -> dict[str, str]:
    """Titles of the quiz, case analyses and role-plays a module points at, by slug (two
    queries), so pages name them instead of showing slugs."""
    from lms.content import kinds
    slugs = {"quizzes": [s for s in [module.quiz_slug, *module.case_slugs] if s],
             "roleplays": list(module.roleplay_slugs or [])}
    titles: dict[str, str] = {}
    for kind_name, wanted in slugs.items():
        model = kinds.model_of(kind_name)
        if wanted and model is not None:
            titles.update(db.session.execute(
                sa.select(model.slug, model.title).where(model.slug.in_(wanted))).all())
    return titles
