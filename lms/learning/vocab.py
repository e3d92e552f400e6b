"""Labels for content vocabularies, translated for the interface."""
from flask_babel import lazy_gettext as _l

METHOD_LABELS = {
    "presentasi": _l("Presentation"),
    "tanya-jawab": _l("Questions and answers"),
    "diskusi-kelompok": _l("Group discussion"),
    "analisis-kasus": _l("Case analysis"),
    "permainan": _l("Game"),
    "role-play": _l("Role-play"),
}


def method_label(slug: str) -> str:
    """The interface label for a training method, or the slug itself if unknown."""
    return str(METHOD_LABELS.get(slug, slug))

KIND_LABELS = {
    "quiz": _l("Quiz"),
    "pretest": _l("Pre-test"),
    "posttest": _l("Post-test"),
    "case": _l("Case analysis"),
}


def kind_label(kind: str) -> str:
    """The interface label for a quiz kind."""
    return str(KIND_LABELS.get(kind, kind))

FLAG_LABELS = {
    "too_easy": _l("too easy"),
    "too_hard": _l("too hard"),
    "negative": _l("discriminates negatively"),
}


def flag_label(flag: str) -> str:
    """The interface label for an item-analysis flag."""
    return str(FLAG_LABELS.get(flag, flag))
