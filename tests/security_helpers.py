"""Shared by the security tests: a world with objects on both sides of every boundary, URLs
filled from it for every rule of `app.url_map`, signed-in clients, the forms of a page and a
snapshot of the database.

Routes are walked from the URL map, never listed, so a route added later is covered. A URL
variable this module cannot fill fails the tests with the name to add to `FILL`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import sqlalchemy as sa

from lms.accounts.models import Organisation, User
from lms.assessment.attempts import start_or_resume, submit
from lms.assessment.models import Quiz
from lms.certification.service import issue_one
from lms.cohorts.models import Cohort, TrainingSession
from lms.extensions import db
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.roleplays import authoring, runs
from lms.roleplays.content import from_source
from lms.roleplays.models import RolePlay
from tests.conftest import PASSWORD, csrf_token
from tests.factories import make_cohort, make_person, world

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Roles signed in by the tests, by username (tests/factories.py `world`).
ROLES = ["trainee-a1", "trainee-a2", "trainee-b1", "fac-a", "fac-none", "coord-a", "coord-b", "admin"]
# GET routes that change data by decision: GET /logout ends the session (a link works without JS).
# GET routes that write by decision: signing out, and a coordinator's download of a person's
# data, which is itself logged in the audit log (who exported whom).
GET_WRITES_BY_DECISION = {"accounts.logout", "records.export"}

# How each URL variable is filled: the key of the scene holding the value. `{side}` is the
# object's side ("a": trainee-a1 in cohort A of organisation A; "b": organisation B;
# "a2c": another cohort of organisation A; "a2": the other trainee of cohort A).
FILL = {
    "cohort_id": "cohort", "user_id": "trainee", "attempt_id": "attempt", "entry_id": "entry",
    "session_id": "session", "run_id": "run", "cert_id": "cert", "org_id": "org", "code": "code",
}
# Per endpoint, where the generic fill would not reach the page (an answer form needs an
# attempt still open).
FILL_BY_ENDPOINT = {
    "assessment.answer": {"attempt_id": "open_attempt"},
    "assessment.submit_confirmed": {"attempt_id": "open_attempt"},
}
# `<slug>` names content, which every organisation shares, except authored role-plays.
SLUG_BY_BLUEPRINT = {"learning": "modul-1", "assessment": "kuis-modul-1", "gain": "dasar", "roleplays": None,
                     "records": "modul-1", "offline": "dasar"}
FIXED = {"index": 1}


def _objects(ids: dict, side: str, cohort_key: str, trainee_key: str, org_key: str, coord_key: str,
             *, roleplay_title: str | None, run_with: str | None, plan_state: str = ReviewState.SUBMITTED) -> None:
    """An attempt awaiting review, an open attempt, a session, an RTL, a field-practice entry, a
    certificate and (optionally) an authored role-play and a live run, of one trainee."""
    case = db.session.query(Quiz).filter_by(slug="kasus-uji").one()
    trainee_id = ids[trainee_key]
    attempt = start_or_resume(trainee_id, case)
    db.session.flush()
    submit(attempt, {"0": 1, "1": "Rencana saya."}, case.pass_mark)
    quiz = db.session.query(Quiz).filter_by(slug="kuis-semua-tipe").one()
    open_attempt = start_or_resume(trainee_id, quiz)
    session = TrainingSession(cohort_id=ids[cohort_key], held_on=dt.date(2026, 11, 1), topic="HAM")
    plan = ActionPlan(cohort_id=ids[cohort_key], user_id=trainee_id, activities="Sosialisasi",
                      state=plan_state)
    entry = PracticeEntry(cohort_id=ids[cohort_key], user_id=trainee_id, done_on=dt.date(2026, 11, 2),
                          kind="hotline", description="Piket hotline malam.")
    db.session.add_all([session, plan, entry])
    db.session.flush()
    cohort = db.session.get(Cohort, ids[cohort_key])
    cert, _new = issue_one(cohort, db.session.get(User, trainee_id), ids[coord_key], reason="Uji akses")
    values = {"cohort": ids[cohort_key], "trainee": trainee_id, "attempt": attempt.id,
              "open_attempt": open_attempt.id, "session": session.id, "entry": entry.id,
              "cert": cert.id, "code": cert.code, "org": ids[org_key]}
    if roleplay_title:
        own = authoring.create_authored(from_source("", {
            "title": roleplay_title, "roles": [{"name": "A", "brief": "a", "secret": "rahasia A"},
                                               {"name": "B", "brief": "b", "secret": "rahasia B"}],
            "observer_checklist": ["x"], "debrief": ["y"], "scenario": "Skenario."}), ids[org_key], None)
        authoring.publish(own, None)
        values["roleplay"] = own.slug
    if run_with:
        version = authoring.ensure_version(db.session.query(RolePlay).filter_by(slug="rp-uji").one(), None)
        run = runs.start_run(cohort, version, [trainee_id, ids[run_with]], groups=1, method=runs.BY_HAND)
        runs.rearrange(run, {trainee_id: (1, None), ids[run_with]: (1, "Penelepon")})
        runs.go_live(run)
        values["run"] = run.id
    ids[side] = values


def build_scene(app) -> dict:
    """The world (tests/factories.py) plus the objects of four sides: trainee-a1 in cohort A
    ("a"), trainee-b1 in cohort B of organisation B ("b"), trainee-a3 in a second cohort of
    organisation A that fac-a does not facilitate ("a2c"), and trainee-a2 beside trainee-a1 ("a2")."""
    ids = world(app)
    with app.app_context():
        org_a = db.session.get(Organisation, ids["org_a"])
        ta3 = make_person("trainee-a3", org=org_a)
        ids["ta3"] = ta3.id
        ids["cohort_a2"] = make_cohort(org_a, "Angkatan A2", trainees=[ta3]).id
        _objects(ids, "a", "cohort_a", "ta1", "org_a", "coord_a", roleplay_title="Role-play Org A", run_with="ta2")
        _objects(ids, "b", "cohort_b", "tb1", "org_b", "coord_b", roleplay_title="Role-play Org B", run_with="tb2")
        _objects(ids, "a2c", "cohort_a2", "ta3", "org_a", "coord_a", roleplay_title=None, run_with=None)
        _objects(ids, "a2", "cohort_a", "ta2", "org_a", "coord_a", roleplay_title=None, run_with=None,
                 plan_state=ReviewState.DRAFT)
        db.session.commit()
    return ids


def rules(app, methods=("GET",) + WRITE_METHODS):
    """(method, rule) for every route but static files, in a stable order."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint == "static":
            continue
        found.extend((method, rule) for method in sorted(rule.methods & set(methods)))
    return found


class UnfilledVariable(LookupError):
    pass


def value_for(rule, name: str, values: dict):
    """The value of URL variable `name` of `rule` from one side's objects (None: the side has none)."""
    if name in FIXED:
        return FIXED[name]
    if name == "slug":
        blueprint = rule.endpoint.split(".")[0]
        if blueprint not in SLUG_BY_BLUEPRINT:
            raise UnfilledVariable(f"{rule.endpoint}: add its blueprint to SLUG_BY_BLUEPRINT")
        return SLUG_BY_BLUEPRINT[blueprint] or values.get("roleplay")
    key = FILL_BY_ENDPOINT.get(rule.endpoint, {}).get(name) or FILL.get(name)
    if key is None:
        raise UnfilledVariable(f"{rule.endpoint}: URL variable <{name}> has no entry in FILL")
    return values.get(key)


def object_variables(rule) -> list[str]:
    """The URL variables of `rule` that name an object someone owns (not content, not fixed)."""
    return [name for name in sorted(rule.arguments)
            if name not in FIXED and (name != "slug" or SLUG_BY_BLUEPRINT.get(rule.endpoint.split(".")[0], 0) is None)]


def url_for_rule(app, rule, values: dict, override: dict | None = None) -> str | None:
    """The path of `rule` filled from `values` (one side), with `override` {variable: value}."""
    filled = {}
    for name in rule.arguments:
        value = (override or {}).get(name, value_for(rule, name, values))
        if value is None:
            return None
        filled[name] = value
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, filled, force_external=False,
                                                   append_unknown=False)


def signed_in(app, username: str | None):
    """A test client signed in as `username` (None: anonymous) and its CSRF token."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    if username:
        response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, username
        token = csrf_token(client.get("/account/password").get_data(as_text=True))
    return client, token


def is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].split("?")[0].endswith("/login")


# --- the database -------------------------------------------------------------------------

def row_counts(app) -> dict[str, int]:
    """Rows per table, in one statement."""
    with app.app_context():
        tables = db.metadata.sorted_tables
        query = sa.select(*[sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name)
                            for t in tables])
        row = db.session.execute(query).one()
        db.session.remove()
        return dict(zip([t.name for t in tables], row, strict=True))


# Writes a refused request keeps on purpose (`keep_changes()`): failed sign-ins, activations and
# certificate look-ups are counted per account and address, so guessing is slowed.
BOOKKEEPING_TABLES = {"login_throttles"}
BOOKKEEPING = {"login_throttles": lambda row: True}


def data_rows(app, counts: dict | None = None) -> dict[str, int]:
    """Row counts without the bookkeeping tables (of `counts` if given, else counted now)."""
    counts = counts if counts is not None else row_counts(app)
    return {name: n for name, n in counts.items() if name not in BOOKKEEPING_TABLES}


def snapshot(app, skip_rows: dict | None = None) -> dict[str, str]:
    """A digest of every table's rows (`skip_rows`: per table, which rows are bookkeeping)."""
    digests = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            skip = (skip_rows or {}).get(table.name, lambda _row: False)
            rows = [row for row in db.session.execute(sa.select(table)).all() if not skip(row)]
            digests[table.name] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        db.session.remove()
    return digests


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


# --- forms --------------------------------------------------------------------------------

@dataclass
class Form:
    action: str
    method: str
    enctype: str = ""
    fields: list[dict] = field(default_factory=list)      # {"tag", "type", "name", "value", "options"}
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def defaults(self) -> dict[str, list[str]]:
        """What a browser would send untouched (checked boxes, first option, first button)."""
        data: dict[str, list[str]] = {}
        radios_seen = set()
        for f in self.fields:
            kind, name = f["type"], f["name"]
            if kind in ("checkbox",):
                if f.get("checked"):
                    data.setdefault(name, []).append(f["value"] or "on")
            elif kind == "radio":
                if f.get("checked") or name not in radios_seen:
                    data[name] = [f["value"]]
                radios_seen.add(name)
            elif kind == "file":
                continue
            elif f["tag"] == "select":
                chosen = f.get("selected") or (f["options"][:1] if f["options"] else [""])
                data.setdefault(name, []).extend(chosen)
            else:
                data.setdefault(name, []).append(f["value"] or "")
        if self.buttons:   # "save" where there is one: the button that keeps what was typed
            name, value = next((b for b in self.buttons if b[1] == "save"), self.buttons[0])
            data.setdefault(name, []).append(value)
        return data

    def text_fields(self) -> list[dict]:
        return [f for f in self.fields if f["tag"] == "textarea" or
                (f["tag"] == "input" and f["type"] in ("text", "search", ""))]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").upper(),
                              enctype=a.get("enctype", ""))
            self.forms.append(self._form)
        if self._form is None or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "submit":
                self._form.buttons.append((a["name"], a.get("value", "")))
            else:
                self._form.fields.append({"tag": "input", "type": kind, "name": a["name"],
                                          "value": a.get("value", ""), "checked": "checked" in a,
                                          "maxlength": a.get("maxlength")})
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "type": "textarea", "name": a["name"], "value": "",
                              "maxlength": a.get("maxlength")}
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = {"tag": "select", "type": "select", "name": a["name"], "options": [], "selected": []}
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str, page_path: str) -> list[Form]:
    """The POST forms of a page (action resolved against the page's path)."""
    parser = _FormParser()
    parser.feed(html)
    found = []
    for form in parser.forms:
        if form.method != "POST":
            continue
        form.action = form.action.split("#")[0] or page_path
        found.append(form)
    return found


def endpoint_of(app, path: str, method: str = "POST") -> str | None:
    from werkzeug.exceptions import HTTPException
    try:
        return app.url_map.bind("localhost").match(path.split("?")[0], method=method)[0]
    except HTTPException:
        return None


PAGED = re.compile(r"[?&]page=(\d+)")


def crawl_forms(app, scene: dict, usernames=("trainee-a1", "trainee-a2", "fac-a", "coord-a", "admin")):
    """Every POST form on every GET page filled from side "a", per signed-in user, following a
    paged form (`action="…?page=N"`) to its next pages: [(username, page path, Form)]."""
    found = []
    for username in usernames:
        client, _token = signed_in(app, username)
        for _method, rule in rules(app, ("GET",)):
            if rule.endpoint in GET_WRITES_BY_DECISION:
                continue
            path = url_for_rule(app, rule, scene["a"])
            pages, seen = [path] if path else [], set()
            while pages:
                page = pages.pop()
                seen.add(page)
                response = client.get(page)
                if response.status_code != 200 or "html" not in response.content_type:
                    continue
                forms = forms_of(response.get_data(as_text=True), page)
                found.extend((username, page, form) for form in forms)
                for form in forms:
                    paged = PAGED.search(form.action)
                    following = f"{path}?page={int(paged.group(1)) + 1}" if paged else None
                    if following and following not in seen and len(seen) < 10:
                        pages.append(following)
    return found


SCRIPT_SRC = re.compile(r"^/static/[\w./-]+$")
