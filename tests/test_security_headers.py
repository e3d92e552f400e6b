"""Security headers on every kind of response, cookies, and templates the CSP can hold to."""
import re

import pytest

from lms import create_app
from tests.conftest import PASSWORD, REPO_ROOT, csrf_token

PAGES = ["/login", "/", "/learn/", "/cohorts/", "/account/sessions", "/healthz", "/no-such-page",
         "/static/site.css", "/favicon.ico", "/cohorts/999999"]


def _directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in csp.split(";")) if part}


def _assert_headers(response, path):
    csp = _directives(response.headers.get("Content-Security-Policy", ""))
    assert csp, f"{path}: no Content-Security-Policy"
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive) or csp["default-src"]
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, (path, directive, sources)
        assert "*" not in sources and "data:" not in sources, (path, directive, sources)
    assert csp.get("frame-ancestors") == ["'none'"], path
    assert csp.get("object-src") == ["'none'"] and csp.get("base-uri") == ["'none'"], path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
    assert response.headers.get("Referrer-Policy") in {"same-origin", "no-referrer", "strict-origin"}, path
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), path


def test_every_kind_of_response_carries_the_security_headers(app, client, make_user):
    make_user("trainee1")
    for path in PAGES:
        _assert_headers(client.get(path), f"anonymous {path}")
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "trainee1", "password": PASSWORD, "csrf_token": token})
    for path in PAGES:
        response = client.get(path)
        _assert_headers(response, f"trainee {path}")
        if response.mimetype == "text/html":
            assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_no_template_needs_inline_script_or_style():
    """The CSP forbids inline script and style; a template that used them would break silently."""
    offenders = []
    for template in sorted((REPO_ROOT / "templates").rglob("*.html")):
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle\s*=", r"\son[a-z]+\s*=", r"javascript:"):
            for match in re.finditer(pattern, text, re.I):
                offenders.append(f"{template.relative_to(REPO_ROOT)}: {match.group(0)!r}")
    # An inline <style> is allowed only when the CSP names its hash (see lms/core/security.py).
    assert offenders == []


@pytest.fixture
def production(tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
                       "INSTANCE_PATH": str(tmp_path)})


def test_production_sends_hsts_and_secure_cookies(production):
    client = production.test_client()
    response = client.get("/login", base_url="https://lms.example.org")
    hsts = response.headers.get("Strict-Transport-Security", "")
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
    cookies = response.headers.getlist("Set-Cookie")
    session = [c for c in cookies if c.startswith("lms_session=")]
    assert session, cookies
    assert all("Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in session), session


def test_development_cookies_are_httponly_and_lax_without_hsts(app, client):
    response = client.get("/login")
    assert "Strict-Transport-Security" not in response.headers
    session = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lms_session=")]
    assert session and all("HttpOnly" in c and "SameSite=Lax" in c for c in session), session



def test_a_static_file_is_hashed_once_per_process_not_on_every_page(app):
    """The ?v= of static URLs comes from the file's hash: computed on first use, then kept."""
    from lms.core.security import asset_version
    version_of = app.jinja_env.globals["version_of"]
    version_of.cache_clear()
    for _ in range(3):
        assert version_of("favicon.svg") == asset_version(app.static_folder, "favicon.svg")
    assert (version_of.cache_info().misses, version_of.cache_info().hits) == (1, 2)
