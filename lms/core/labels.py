"""Interface labels for the words the data uses (methods, kinds, states...), translated."""
from flask_babel import lazy_gettext as _l
from markupsafe import Markup


def _labeller(table: dict):
    """A template function: the translated label of a key, or the key itself if unknown."""
    def label(key: str) -> str:
        return str(table.get(key, key))
    return label


METHOD_LABELS = {
    "presentasi": _l("Presentation"),
    "tanya-jawab": _l("Questions and answers"),
    "diskusi-kelompok": _l("Group discussion"),
    "analisis-kasus": _l("Case analysis"),
    "permainan": _l("Game"),
    "role-play": _l("Role-play"),
}
KIND_LABELS = {"quiz": _l("Quiz"), "pretest": _l("Pre-test"), "posttest": _l("Post-test"),
               "case": _l("Case analysis")}
FLAG_LABELS = {"too_easy": _l("too easy"), "too_hard": _l("too hard"),
               "negative": _l("discriminates negatively")}
PLAN_LABELS = {"draft": _l("draft"), "submitted": _l("waiting for approval"),
               "approved": _l("approved"), "returned": _l("returned for changes")}
ATTENDANCE_LABELS = {"present": _l("Present"), "excused": _l("Excused"), "absent": _l("Absent")}
PII_LABELS = {"nik": _l("a 16-digit NIK"), "phone": _l("a phone number"),
              "email": _l("an email address"), "name": _l("the name of a trainee")}
QUESTION_TYPE_LABELS = {"single": _l("One answer"), "multiple": _l("Several answers"),
                        "true_false": _l("True or false"), "ordering": _l("Put in order"),
                        "matching": _l("Matching"), "short": _l("Short answer"),
                        "numeric": _l("Numeric answer"), "essay": _l("Essay")}
ROLE_LABELS = {"trainee": _l("Trainee"), "facilitator": _l("Facilitator"),
               "coordinator": _l("Coordinator"), "admin": _l("Administrator")}
# Module states in the completion matrix: label and the one-character cell symbol.
STATE_LABELS = {
    "not_started": (_l("not started"), "·"),
    "in_progress": (_l("in progress"), "…"),
    "awaiting_review": (_l("awaiting review"), "?"),
    "complete": (_l("complete"), "✓"),
}

method_label = _labeller(METHOD_LABELS)
kind_label = _labeller(KIND_LABELS)
flag_label = _labeller(FLAG_LABELS)
plan_label = _labeller(PLAN_LABELS)
attendance_label = _labeller(ATTENDANCE_LABELS)
pii_label = _labeller(PII_LABELS)
role_label = _labeller(ROLE_LABELS)
question_type_label = _labeller(QUESTION_TYPE_LABELS)
state_label = _labeller({state: label for state, (label, _symbol) in STATE_LABELS.items()})


def state_symbol(state: str) -> str:
    return STATE_LABELS[state][1] if state in STATE_LABELS else "?"


_STATE_CELLS = {state: f'<td class="st {state}">{symbol}</td>' for state, (_label, symbol) in STATE_LABELS.items()}


def state_cells(states) -> Markup:
    """A matrix row's state cells as HTML, built from fixed snippets.

    Jinja renders the 25,000 cells of a 1,000-trainee cohort slowly; joining constant
    snippets is far faster and carries no user data, so nothing needs escaping.
    """
    return Markup("".join(_STATE_CELLS.get(str(s), "<td></td>") for s in states))  # noqa: S704 - fixed snippets, no user data
