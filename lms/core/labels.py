"""Labels for content vocabularies, translated for the interface."""
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

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

STATE_LABELS = {
    "not_started": (_l("not started"), "·"),
    "in_progress": (_l("in progress"), "…"),
    "awaiting_review": (_l("awaiting review"), "?"),
    "complete": (_l("complete"), "✓"),
}


def state_label(state: str) -> str:
    return str(STATE_LABELS[state][0]) if state in STATE_LABELS else state


def state_symbol(state: str) -> str:
    return STATE_LABELS[state][1] if state in STATE_LABELS else "?"


PLAN_LABELS = {
    "draft": _l("draft"),
    "submitted": _l("waiting for approval"),
    "approved": _l("approved"),
    "returned": _l("returned for changes"),
}


def plan_label(state: str) -> str:
    return str(PLAN_LABELS.get(state, state))


ATTENDANCE_LABELS = {"present": _l("Present"), "excused": _l("Excused"), "absent": _l("Absent")}


def attendance_label(status: str) -> str:
    return str(ATTENDANCE_LABELS.get(status, status))


PII_LABELS = {"nik": _l("a 16-digit NIK"), "phone": _l("a phone number"), "email": _l("an email address")}


def pii_label(kind: str) -> str:
    return str(PII_LABELS.get(kind, kind))


ROLE_LABELS = {"trainee": _l("Trainee"), "facilitator": _l("Facilitator"),
               "coordinator": _l("Coordinator"), "admin": _l("Administrator")}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def state_cells(states) -> Markup:
    """A matrix row's state cells as HTML, built from fixed snippets.

    Jinja renders 25,000 cells of a 1,000-trainee cohort slowly; joining constant
    snippets is ~30 times faster and carries no user data, so nothing needs escaping.
    """
    cells = {state: f'<td class="st {state}">{symbol}</td>' for state, (_label, symbol) in STATE_LABELS.items()}
    return Markup("".join(cells.get(str(s), "<td></td>") for s in states))
