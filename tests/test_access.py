"""Who gets what: every route, for every role. Objects outside one's reach answer 404."""
import datetime as dt

import pytest

from lms.accounts.models import User
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
from tests.factories import world

ROLES = ["anonymous", "trainee-a1", "trainee-b1", "fac-a", "fac-none", "coord-a", "coord-b", "admin"]
ANY_USER = set(ROLES) - {"anonymous"}
STAFF = {"fac-a", "fac-none", "coord-a", "coord-b", "admin"}
COHORT_A = {"fac-a", "coord-a", "admin"}          # open cohort A
MANAGE_A = {"coord-a", "admin"}                    # change cohort A
OWNER = {"trainee-a1"}
AUTHORS = {"fac-a", "fac-none", "coord-a", "coord-b"}   # write role-plays for their organisation
ORG_A_AUTHORS = {"fac-a", "fac-none", "coord-a"}      # edit organisation A's role-plays
ORG_A_STAFF = ORG_A_AUTHORS | {"admin"}                # see organisation A's role-plays
PUBLIC = set(ROLES)
SIGN_OUTS = {"/logout", "/account/sessions/end"}  # they end in the sign-in page by design

# (method, path template, who may use it). Every route of the app must be listed.
ROUTES = [
    ("GET", "/", ANY_USER), ("GET", "/healthz", PUBLIC), ("GET", "/readyz", PUBLIC), ("GET", "/favicon.ico", PUBLIC), ("GET", "/login", PUBLIC), ("POST", "/login", PUBLIC), ("POST", "/activate", PUBLIC),
    ("GET", "/activate", PUBLIC), ("POST", "/language", PUBLIC), ("POST", "/logout", ANY_USER), ("GET", "/logout", ANY_USER),
    ("GET", "/learn/", ANY_USER), ("GET", "/learn/curriculum", STAFF), ("GET", "/learn/modules/modul-1", ANY_USER),
    ("POST", "/learn/modules/modul-1/read", ANY_USER),
    ("GET", "/learn/tracks/dasar/offline", ANY_USER), ("GET", "/learn/tracks/dasar/print", STAFF),
    ("GET", "/sw.js", PUBLIC),
    ("GET", "/quiz/kuis-modul-1", ANY_USER), ("POST", "/quiz/kuis-modul-1/start", ANY_USER),
    ("GET", "/quiz/kuis-modul-1/analysis", STAFF), ("GET", "/roleplays/rp-uji", ANY_USER),
    ("GET", "/quiz/attempts/{attempt}", OWNER), ("POST", "/quiz/attempts/{open_attempt}", OWNER), ("POST", "/quiz/attempts/{open_attempt}/submit", OWNER),
    ("GET", "/quiz/attempts/{attempt}/result", {"trainee-a1"} | COHORT_A),
    ("GET", "/review/", STAFF), ("GET", "/review/?tab=graded", STAFF),
    ("GET", "/review/?tab=graded&cohort={cohort}", COHORT_A),
    ("GET", "/quiz/kuis-modul-1/analysis?cohort={cohort}", COHORT_A),
    ("GET", "/quiz/kasus-uji/analysis?cohort={cohort_b}", {"coord-b", "admin"}),
    ("GET", "/review/attempts/{attempt}/questions/1", COHORT_A),
    ("POST", "/review/attempts/{attempt}/questions/1", COHORT_A),
    ("GET", "/cohorts/", STAFF), ("GET", "/cohorts/new", {"coord-a", "coord-b", "admin"}),
    ("POST", "/cohorts/new", {"coord-a", "coord-b", "admin"}),
    ("GET", "/cohorts/{cohort}", COHORT_A), ("GET", "/cohorts/{cohort}/edit", MANAGE_A),
    ("POST", "/cohorts/{cohort}/edit", MANAGE_A),
    ("GET", "/cohorts/{cohort}/report.csv", COHORT_A),
    ("GET", "/cohorts/{cohort}/trainees/{a1}/modules/modul-2", COHORT_A),
    ("GET", "/cohorts/{cohort_b}/trainees/{a1}/modules/modul-2", set()),  # a trainee of A under cohort B
    ("GET", "/cohorts/{cohort}/gain", COHORT_A),
    ("GET", "/cohorts/{cohort}/gain/{a1}", COHORT_A), ("GET", "/learn/tracks/dasar/gain", ANY_USER),
    ("GET", "/cohorts/{cohort}/enrol", MANAGE_A), ("POST", "/cohorts/{cohort}/enrol", MANAGE_A),
    ("GET", "/cohorts/{cohort}/import", MANAGE_A), ("POST", "/cohorts/{cohort}/import", MANAGE_A),
    ("POST", "/cohorts/{cohort}/codes", MANAGE_A),
    ("POST", "/cohorts/{cohort}/trainees/{a1}/code", MANAGE_A),
    ("POST", "/cohorts/{cohort}/enrol/{a2}", MANAGE_A),
    ("POST", "/cohorts/{cohort}/trainees/{a2}/remove", MANAGE_A),
    ("GET", "/cohorts/{cohort}/sessions", COHORT_A), ("GET", "/cohorts/{cohort}/sessions/new", COHORT_A),
    ("POST", "/cohorts/{cohort}/sessions/new", COHORT_A),
    ("GET", "/cohorts/{cohort}/sessions/{session}/attendance", COHORT_A),
    ("POST", "/cohorts/{cohort}/sessions/{session}/attendance", COHORT_A),
    ("GET", "/cohorts/{cohort}/rtl", OWNER), ("POST", "/cohorts/{cohort}/rtl", OWNER),
    ("GET", "/cohorts/{cohort}/rtl/{a1}", COHORT_A), ("POST", "/cohorts/{cohort}/rtl/{a1}", COHORT_A),
    ("GET", "/cohorts/{cohort}/practice", OWNER), ("POST", "/cohorts/{cohort}/practice", OWNER),
    ("GET", "/cohorts/{cohort}/practice/{a1}", COHORT_A),
    ("POST", "/cohorts/{cohort}/practice/entries/{entry}/sign", COHORT_A),
    ("POST", "/cohorts/{cohort}/practice/entries/{entry}/return", COHORT_A),
    ("GET", "/cohorts/{cohort}/practice/entries/{entry}/edit", OWNER),
    ("POST", "/cohorts/{cohort}/practice/entries/{entry}/edit", OWNER),
    ("POST", "/cohorts/{cohort}/practice/entries/{entry}/withdraw", OWNER),
    ("GET", "/organisations/", {"admin"}), ("POST", "/organisations/", {"admin"}),
    ("GET", "/organisations/{org}", MANAGE_A), ("POST", "/organisations/{org}", MANAGE_A),
    ("GET", "/organisations/{org}/people/{a1}", MANAGE_A), ("GET", "/organisations/{org}/people/{a2}/erase", MANAGE_A),
    ("POST", "/organisations/{org}/people/{a1}/code", MANAGE_A),
    ("POST", "/organisations/{org}/people/{a1}/sessions/end", MANAGE_A),
    ("GET", "/account/password", ANY_USER), ("POST", "/account/password", ANY_USER),
    ("GET", "/account/sessions", ANY_USER), ("POST", "/account/sessions/end", ANY_USER),
    ("GET", "/organisations/{org}/people/{a1}/export.json", MANAGE_A),
    ("GET", "/account/export.json", ANY_USER), ("GET", "/organisations/{org}/audit", MANAGE_A),
    ("GET", "/audit", {"admin"}),
    ("POST", "/organisations/{org}/people/{a2}/erase", MANAGE_A),
    ("GET", "/roleplays/", STAFF), ("GET", "/roleplays/new", AUTHORS), ("POST", "/roleplays/new", AUTHORS),
    ("GET", "/roleplays/import", AUTHORS), ("POST", "/roleplays/import", AUTHORS),
    ("GET", "/roleplays/{rp}", ORG_A_STAFF), ("GET", "/roleplays/{rp}/edit", ORG_A_AUTHORS),
    ("POST", "/roleplays/{rp}/edit", ORG_A_AUTHORS), ("POST", "/roleplays/{rp}/publish", ORG_A_AUTHORS),
    ("GET", "/roleplays/rp-uji/edit", set()), ("POST", "/roleplays/rp-uji/publish", set()),
    ("POST", "/roleplays/{rp}/duplicate", ORG_A_AUTHORS), ("POST", "/roleplays/rp-uji/duplicate", AUTHORS),
    ("GET", "/roleplays/{rp}/preview", ORG_A_STAFF), ("GET", "/roleplays/rp-uji/preview", STAFF),
    ("GET", "/roleplays/{rp}/versions", ORG_A_STAFF), ("GET", "/roleplays/{rp}/export.md", ORG_A_STAFF),
    ("GET", "/roleplays/rp-uji/export.md", STAFF),
    ("GET", "/cohorts/{cohort}/roleplay-runs", COHORT_A), ("GET", "/cohorts/{cohort}/roleplay-runs/new", COHORT_A),
    ("POST", "/cohorts/{cohort}/roleplay-runs/new", COHORT_A),
    ("GET", "/cohorts/{cohort}/roleplay-runs/{run}", COHORT_A),
    ("POST", "/cohorts/{cohort}/roleplay-runs/{run}/arrange", COHORT_A),
    ("POST", "/cohorts/{cohort}/roleplay-runs/{run}/start", COHORT_A),
    ("POST", "/cohorts/{cohort}/roleplay-runs/{run}/debrief", COHORT_A),
    ("POST", "/cohorts/{cohort}/roleplay-runs/{run}/end", COHORT_A),
    ("GET", "/cohorts/{cohort_b}/roleplay-runs/{run}", set()),  # a run of A under cohort B
    ("GET", "/roleplay-runs/{run}", OWNER | COHORT_A), ("POST", "/roleplay-runs/{run}/observe", OWNER),
    # Certification: only the cohort's coordinators (and admins) certify.
    ("GET", "/cohorts/{cohort}/certification", MANAGE_A),
    ("POST", "/cohorts/{cohort}/certification/rules", MANAGE_A),
    ("POST", "/cohorts/{cohort}/certification/issue", MANAGE_A),
    ("GET", "/cohorts/{cohort}/certification/{a1}", MANAGE_A),
    ("POST", "/cohorts/{cohort}/certification/{a1}/name", MANAGE_A),
    ("POST", "/cohorts/{cohort}/certification/{a2}/issue", MANAGE_A),
    ("POST", "/cohorts/{cohort}/certification/{a1}/revoke", MANAGE_A),
    ("GET", "/cohorts/{cohort}/certification/certificates.zip", MANAGE_A),
    ("GET", "/certificates/{cert}.pdf", OWNER | MANAGE_A), ("GET", "/certificates/{cert}.json", OWNER | MANAGE_A),
    ("GET", "/learn/certificate-name", ANY_USER), ("POST", "/learn/certificate-name", ANY_USER),
    # Verification by anyone, signed in or not.
    ("GET", "/verify", PUBLIC), ("GET", "/verify/{code}", PUBLIC), ("GET", "/verify/{code}.json", PUBLIC),
    ("GET", "/verify/status/{org}", PUBLIC), ("GET", "/issuers/{org}", PUBLIC),
]
USERNAMES = {"trainee-a1": "trainee-a1", "trainee-b1": "trainee-b1", "fac-a": "fac-a",
             "fac-none": "fac-none", "coord-a": "coord-a", "coord-b": "coord-b", "admin": "admin"}


@pytest.fixture
def scene(app, synced):
    """The world, plus an attempt awaiting review, an open attempt, a session, an RTL and a
    field-practice entry and a certificate (issued as an exception), all belonging to trainee-a1
    in cohort A."""
    ids = world(app)
    with app.app_context():
        case = db.session.query(Quiz).filter_by(slug="kasus-uji").one()
        attempt = start_or_resume(ids["ta1"], case)
        db.session.flush()
        submit(attempt, {"0": 1, "1": "Rencana saya."}, case.pass_mark)
        quiz = db.session.query(Quiz).filter_by(slug="kuis-semua-tipe").one()
        open_attempt = start_or_resume(ids["ta1"], quiz)
        session = TrainingSession(cohort_id=ids["cohort_a"], held_on=dt.date(2026, 11, 1), topic="HAM")
        plan = ActionPlan(cohort_id=ids["cohort_a"], user_id=ids["ta1"], activities="Sosialisasi",
                          state=ReviewState.SUBMITTED)
        entry = PracticeEntry(cohort_id=ids["cohort_a"], user_id=ids["ta1"], done_on=dt.date(2026, 11, 2),
                              kind="hotline", description="Piket hotline malam.")
        db.session.add_all([session, plan, entry])
        own = authoring.create_authored(from_source("", {
            "title": "Role-play Org A", "roles": [{"name": "A", "brief": "a", "secret": "rahasia A"},
                                                  {"name": "B", "brief": "b", "secret": "rahasia B"}],
            "observer_checklist": ["x"], "debrief": ["y"], "scenario": "Skenario."}), ids["org_a"], None)
        authoring.publish(own, None)
        version = authoring.ensure_version(db.session.query(RolePlay).filter_by(slug="rp-uji").one(), None)
        cohort = db.session.get(Cohort, ids["cohort_a"])
        run = runs.start_run(cohort, version, [ids["ta1"], ids["ta2"]], groups=1, method=runs.BY_HAND)
        runs.rearrange(run, {ids["ta1"]: (1, None), ids["ta2"]: (1, "Penelepon")})
        runs.go_live(run)
        cert, _new = issue_one(cohort, db.session.get(User, ids["ta1"]), ids["coord_a"], reason="Uji akses")
        db.session.commit()
        ids.update(attempt=attempt.id, open_attempt=open_attempt.id, session=session.id, entry=entry.id,
                   rp=own.slug, run=run.id, cert=cert.id, code=cert.code)
    return ids


def _path(template, ids):
    return template.format(cohort=ids["cohort_a"], attempt=ids["attempt"], open_attempt=ids["open_attempt"],
                           session=ids["session"], entry=ids["entry"], a1=ids["ta1"], a2=ids["ta2"],
                           org=ids["org_a"], rp=ids["rp"], run=ids["run"], cohort_b=ids["cohort_b"],
                           cert=ids["cert"], code=ids["code"])


def _sign_in(client, role):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": USERNAMES[role], "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, role


@pytest.mark.parametrize("method, template, allowed", ROUTES, ids=[f"{m} {t}" for m, t, _ in ROUTES])
def test_route_access(app, scene, method, template, allowed):
    path = _path(template, scene)
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            _sign_in(client, role)
        token = csrf_token(client.get("/login" if role == "anonymous" else "/learn/").get_data(as_text=True))
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": token})
        status = response.status_code
        if role in allowed:
            assert status not in (403, 404), f"{role} {method} {path} -> {status}"
            assert path in SIGN_OUTS or not (
                status == 302 and response.headers["Location"].startswith("/login")), \
                f"{role} {method} {path} was sent to sign in"
        elif role == "anonymous":
            assert status == 302 and response.headers["Location"].startswith("/login"), \
                f"anonymous {method} {path} -> {status}"
        else:
            assert status == 404, f"{role} {method} {path} -> {status} (expected 404)"


def test_every_route_is_in_the_access_table(app):
    adapter = app.url_map.bind("localhost")
    dummy = {k: 1 for k in ("cohort", "attempt", "open_attempt", "session", "entry", "a1", "a2", "org", "run",
                            "cert")}
    dummy["code"] = "c0de"
    covered = {(method, adapter.match(_path(t, {**dummy, "cohort_a": 1, "ta1": 1, "ta2": 2, "org_a": 1,
                                               "cohort_b": 2, "rp": "rp-x"}).split("?")[0], method=method)[0])
               for method, t, _ in ROUTES}
    missing = [f"{method} {rule.rule}" for rule in app.url_map.iter_rules() if rule.endpoint != "static"
               for method in rule.methods - {"HEAD", "OPTIONS"} if (method, rule.endpoint) not in covered]
    assert missing == []


# --- Every object id of another organisation, cohort or trainee, on every route ------------
# Generic over app.url_map: for each route, each URL variable naming an object is in turn
# replaced by the same kind of object on the other side of a boundary, the rest filled from
# trainee-a1's side. Those who must not reach that object get 404 (never 403, never 200).
PUBLIC_ENDPOINTS = {"certification.verify_page", "certification.verify_json", "certification.status_list",
                    "certification.issuer"}
BOUNDARIES = [
    # (side, who must not reach its objects)
    ("b", ["trainee-a1", "fac-a", "fac-none", "coord-a"]),      # another organisation
    ("a2c", ["trainee-a1", "fac-a"]),                            # another cohort of the same organisation
    ("a2", ["trainee-a1"]),                                      # the trainee beside one in the cohort
]


@pytest.fixture
def two_sides(app, synced):
    from tests.security_helpers import build_scene
    return build_scene(app)


@pytest.mark.parametrize("side, usernames", BOUNDARIES, ids=[side for side, _ in BOUNDARIES])
def test_objects_across_a_boundary_are_not_found(app, two_sides, side, usernames):
    from tests.security_helpers import (
        WRITE_METHODS,
        object_variables,
        rules,
        signed_in,
        snapshot,
        url_for_rule,
        value_for,
    )
    clients = {username: signed_in(app, username) for username in usernames}
    exports = {"audit_log": lambda row: row.action == "person.exported"}   # opening one's own export logs it
    before = snapshot(app, exports)
    wrong, tried, reached = [], 0, set()
    for method, rule in rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        if method == "GET" and object_variables(rule):
            # The refusal is due to the boundary: someone of the list reaches the own-side page.
            own = url_for_rule(app, rule, two_sides["a"])
            if any(client.get(own).status_code != 404 for client, _token in clients.values()):
                reached.add(rule.endpoint)
        for name in object_variables(rule):
            other = value_for(rule, name, two_sides[side])
            if other is None or other == value_for(rule, name, two_sides["a"]):
                continue
            path = url_for_rule(app, rule, two_sides["a"], {name: other})
            for username, (client, token) in clients.items():
                response = client.open(path, method=method, data={"csrf_token": token} if method in WRITE_METHODS
                                       else None)
                tried += 1
                if response.status_code != 404:
                    wrong.append(f"{username} {method} {path} ({name} of side {side}) -> {response.status_code}")
    assert wrong == []
    assert tried >= 20 * len(usernames)
    assert len(reached) >= {"b": 25, "a2c": 10, "a2": 5}[side], sorted(reached)
    assert snapshot(app, exports) == before


def test_a_posted_organisation_of_another_does_not_list_its_facilitators(app, two_sides):
    """The new-cohort form lists facilitators of the chosen organisation; a coordinator who
    posts another organisation's id gets their own organisation's, never the other's."""
    from tests.security_helpers import signed_in
    client, token = signed_in(app, "coord-a")
    response = client.post("/cohorts/new", data={"organisation_id": str(two_sides["org_b"]), "name": "",
                                                 "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Fac-A" in page and "Fac-B" not in page
