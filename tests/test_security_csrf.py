"""CSRF (ASVS 5.0 V3.5): every route that changes data refuses a request without a valid token,
and no route changes data on GET. Walked from app.url_map, so new routes are covered."""
import pytest

from lms.extensions import csrf
from tests.security_helpers import (
    GET_WRITES_BY_DECISION,
    ROLES,
    WRITE_METHODS,
    build_scene,
    changed_tables,
    rules,
    signed_in,
    snapshot,
    url_for_rule,
)

# Signing in writes a login session before the snapshot (login sessions keep no "last seen").
# The one write a GET may make is throttling: certificate look-ups are counted per address so
# codes cannot be guessed in bulk. It is bookkeeping of the request, not anyone's data. And a
# coordinator's download of a person's data is itself logged (who exported whom, when).
VERIFY_COUNTS = {"login_throttles": lambda row: row.key.startswith("verify:"),
                 "audit_log": lambda row: row.action == "person.exported"}


@pytest.fixture
def scene(app, synced):
    return build_scene(app)


def test_csrf_protection_is_on_and_nothing_is_exempt(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True
    assert set(app.config.get("WTF_CSRF_METHODS", WRITE_METHODS)) >= set(WRITE_METHODS)
    assert not csrf._exempt_views and not csrf._exempt_blueprints


@pytest.mark.parametrize("username", ["trainee-a1", "coord-a", "admin"])
def test_every_write_route_refuses_a_missing_or_wrong_token(app, scene, username):
    """Signed in as someone who may use the route (each of trainee, coordinator, admin is tried,
    so owner routes and manager routes both meet a user of sufficient role) with real ids."""
    client, token = signed_in(app, username)
    before = snapshot(app)
    tried = 0
    for method, rule in rules(app, WRITE_METHODS):
        path = url_for_rule(app, rule, scene["a"])
        assert path, rule.rule
        for data in ({}, {"csrf_token": "forged" + token[6:]}, {"csrf_token": ""}):
            response = client.open(path, method=method, data={"x": "1", **data})
            assert response.status_code == 400, f"{username} {method} {path} {data} -> {response.status_code}"
            page = response.get_data(as_text=True)
            assert "Form expired" in page or "Formulir kedaluwarsa" in page, f"{method} {path}"
            tried += 1
        # A token in a header is as good as one in the form: a wrong one is refused too.
        response = client.open(path, method=method, headers={"X-CSRFToken": "forged"})
        assert response.status_code == 400, f"{method} {path} with a forged header"
    assert tried >= 3 * 40
    assert changed_tables(before, snapshot(app)) == []


def test_a_token_of_another_session_is_refused(app, scene):
    """A token is bound to its session: one lifted from another browser does not work."""
    _other, others_token = signed_in(app, "trainee-a2")
    client, _own = signed_in(app, "trainee-a1")
    path = f"/cohorts/{scene['cohort_a']}/rtl"
    response = client.post(path, data={"activities": "X", "target": "1", "timeline": "Jan",
                                       "csrf_token": others_token, "action": "save"})
    assert response.status_code == 400


@pytest.mark.parametrize("username", [None, *ROLES])
def test_no_route_changes_data_on_get(app, scene, username):
    """GET every route as every role, with ids of the user's own side and of another organisation:
    the database is unchanged (logout aside, by decision)."""
    client, _token = signed_in(app, username)
    before = snapshot(app, VERIFY_COUNTS)
    tried = 0
    for _method, rule in rules(app, ("GET",)):
        if rule.endpoint in GET_WRITES_BY_DECISION:
            continue
        for side in ("a", "b"):
            path = url_for_rule(app, rule, scene[side])
            if path is None:
                continue
            response = client.get(path)
            assert response.status_code < 500, f"{username} GET {path}"
            after = snapshot(app, VERIFY_COUNTS)
            assert changed_tables(before, after) == [], f"{username} GET {path} changed data"
            tried += 1
    assert tried >= 60
