"""What answers without sign-in (ASVS 5.0 V8.3): a fixed list. A new route that answers an
anonymous visitor fails here until it is added on purpose; every other route sends to sign-in."""
import pytest

from tests.security_helpers import build_scene, is_sign_in_redirect, rules, signed_in, url_for_rule

# (method, endpoint): why it is public.
ANONYMOUS = {
    ("GET", "accounts.login"): "the sign-in page",
    ("POST", "accounts.login"): "signing in",
    ("GET", "accounts.activate"): "setting a password with a code from the coordinator",
    ("POST", "accounts.activate"): "setting a password with a code from the coordinator",
    ("POST", "core.set_language"): "the language switch on the sign-in page",
    ("GET", "core.healthz"): "liveness probe, says nothing",
    ("GET", "core.readyz"): "readiness probe, says nothing",
    ("GET", "core.favicon"): "browsers ask for it",
    ("GET", "certification.verify_form"): "anyone checks a certificate",
    ("GET", "certification.verify_page"): "anyone checks a certificate",
    ("GET", "certification.verify_json"): "anyone checks a certificate (machines)",
    ("GET", "certification.status_list"): "Open Badges revocation list of an issuer",
    ("GET", "certification.issuer"): "Open Badges issuer profile",
    ("GET", "core.service_worker"): "the offline-reading script; it holds no data and must load from /",
    # Logging out when not signed in just lands on the sign-in page (a redirect, not content).
}


@pytest.fixture
def scene(app, synced):
    return build_scene(app)


def test_only_the_listed_routes_answer_without_sign_in(app, scene):
    client, token = signed_in(app, None)
    answered, refused = set(), []
    for method, rule in rules(app):
        path = url_for_rule(app, rule, scene["a"])
        assert path, rule.rule
        if method == "GET":
            response = client.get(path)
        else:
            response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code < 500, f"{method} {path}"
        if is_sign_in_redirect(response):
            continue
        if (method, rule.endpoint) in ANONYMOUS:
            answered.add((method, rule.endpoint))
        else:
            refused.append(f"{method} {rule.rule} -> {response.status_code}")
    assert refused == [], "these answer without sign-in; list them in ANONYMOUS with a reason, or guard them"
    # Every listed route exists and still answers (a stale entry would widen the list silently).
    assert answered == set(ANONYMOUS)


def test_static_files_and_the_favicon_are_public(app, client):
    assert client.get("/static/site.css").status_code == 200
    assert client.get("/favicon.ico").status_code in (200, 301, 302)


def test_the_sign_in_redirect_is_local_and_remembers_the_page(app, scene):
    client, _token = signed_in(app, None)
    path = f"/cohorts/{scene['cohort_a']}/sessions"
    response = client.get(path)
    assert is_sign_in_redirect(response)
    location = response.headers["Location"]
    assert location.startswith("/login") and "next=" in location and "sessions" in location
