"""Interface labels for the words the data uses (methods, kinds, states...), translated."""
from markupsafe import Markup, escape

from lms.core.i18n import lazy_gettext as _l


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
state_label = _labeller({state: label for state, (label, _symbol) in STATE_LABELS.items()})


def state_symbol(state: str) -> str:
    return STATE_LABELS[state][1] if state in STATE_LABELS else "?"


def state_row(slugs):
    """A function that renders a matrix row's state cells as HTML from fixed snippets, each
    cell linking to `base + slug` and named by its state for screen readers.

    Jinja renders the cells of a big cohort slowly; joining constant snippets is far faster.
    The state labels are translated and the modules' slugs escaped once, for all the rows.
    """
    links = {state: (f'<td class="st {state}"><a href="', f'" aria-label="{escape(label)}">{symbol}</a></td>')
             for state, (label, symbol) in STATE_LABELS.items()}
    unknown = ('<td><a href="', '">?</a></td>')
    escaped = [str(escape(slug)) for slug in slugs]

    def cells(states, base: str) -> Markup:
        prefix = str(escape(base))
        row = []
        for state, slug in zip(states, escaped, strict=True):
            head, tail = links.get(str(state), unknown)
            row.append(f"{head}{prefix}{slug}{tail}")
        return Markup("".join(row))  # noqa: S704 - the base and slugs are escaped, the rest fixed
    return cells
