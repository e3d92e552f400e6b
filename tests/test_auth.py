"""Sign-in: passwords, throttling, server-side logout, open redirects, roles of access."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts import throttle
from lms.accounts.models import LoginSession, LoginThrottle, User
from lms.extensions import db
from lms.timeutil import utcnow
from tests.conftest import PASSWORD, csrf_token


def test_login_page_has_the_contract_fields(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in html and 'name="password"' in html and 'name="csrf_token"' in html


def test_password_is_stored_as_argon2id(make_user):
    user = make_user("trainee1")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_login_and_reach_the_learning_page(client, auth, make_user, synced):
    make_user("trainee1")
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/learn/"
    assert client.get("/learn/").status_code == 200


def test_username_is_case_insensitive(client, auth, make_user):
    make_user("trainee1")
    assert auth.login(username="  Trainee1 ").status_code == 302


def test_wrong_password_rerenders_with_message(client, auth, make_user):
    make_user("trainee1")
    response = auth.login(password="salah-sekali")
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user("trainee1")
    response = client.post("/login", data={"username": "trainee1", "password": PASSWORD})
    assert response.status_code == 400
    assert "sid" not in (client.get_cookie("lms_session").value if client.get_cookie("lms_session") else "")


def test_inactive_and_unactivated_accounts_cannot_sign_in(client, auth, make_user):
    make_user("pending", password=None)
    make_user("blocked", active=False)
    assert auth.login(username="pending").status_code == 401
    assert auth.login(username="blocked", password=PASSWORD).status_code == 401


@pytest.mark.parametrize("path", ["/learn/", "/learn/modules/modul-1"])
def test_pages_require_login(client, synced, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_account_is_throttled_after_repeated_failures(app, client, auth, make_user):
    make_user("trainee1")
    limit = app.config["LOGIN_MAX_FAILURES_ACCOUNT"]
    for _ in range(limit):
        assert auth.login(password="salah").status_code == 401
    # Now even the right password is refused until the window passes.
    response = auth.login()
    assert response.status_code == 429
    assert "Terlalu banyak" in response.get_data(as_text=True)


def test_address_is_throttled_across_accounts(app, client, auth, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_ADDRESS", 3)
    make_user("trainee1")
    for name in ("a1", "a2", "a3"):
        assert auth.login(username=name, password="x").status_code == 401
    assert auth.login().status_code == 429


def test_throttle_window_expires(app):
    with app.app_context():
        window = timedelta(minutes=15)
        start = utcnow()
        limits = {throttle.account_key("x"): 2}
        assert throttle.hit(limits, start, window) == 0
        assert throttle.hit(limits, start, window) == 0
        assert 14 * 60 <= throttle.hit(limits, start + timedelta(minutes=1), window) <= 14 * 60 + 1
        assert throttle.hit(limits, start + timedelta(minutes=16), window) == 0
        assert db.session.get(LoginThrottle, throttle.account_key("x")).failures == 1   # a new window


def test_success_clears_account_failures(app, client, auth, make_user):
    make_user("trainee1")
    auth.login(password="salah")
    assert auth.login().status_code == 302
    with app.app_context():
        assert db.session.get(LoginThrottle, throttle.account_key("trainee1")) is None


def test_logout_invalidates_a_copied_cookie(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    stolen = client.get_cookie("lms_session").value
    assert auth.logout().status_code == 302
    thief = app.test_client()
    thief.set_cookie("lms_session", stolen)
    response = thief.get("/learn/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with app.app_context():
        assert db.session.scalar(sa.select(LoginSession.revoked_at)) is not None


def test_logout_post_needs_csrf_and_a_plain_get_also_signs_out(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    assert client.post("/logout").status_code == 400
    assert client.get("/learn/").status_code == 200
    assert client.get("/logout").status_code == 302
    assert client.get("/learn/").headers["Location"].startswith("/login")


def test_next_is_also_read_from_the_query_string_on_post(client, make_user, synced):
    make_user("trainee1")
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=/learn/modules/modul-2",
                           data={"username": "trainee1", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/learn/modules/modul-2"
    assert client.get("/learn/").status_code == 200


@pytest.mark.parametrize("target, expected", [
    ("/learn/modules/modul-1", "/learn/modules/modul-1"),
    ("https://evil.example/", "/learn/"),
    ("//evil.example/", "/learn/"),
    ("/\\evil.example", "/learn/"),
    ("javascript:alert(1)", "/learn/"),
    ("", "/learn/"),
])
def test_next_only_redirects_inside_the_site(client, auth, make_user, synced, target, expected):
    make_user("trainee1")
    response = auth.login(next=target)
    assert response.headers["Location"] == expected


def test_user_create_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "create", "Fasil2", "--role", "facilitator",
                                 "--password", "kata-sandi-1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "fasil2"))
        assert user.role == "facilitator" and user.email is None
    again = runner.invoke(args=["user", "create", "fasil2", "--password", "kata-sandi-1"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_user_create_rejects_unknown_role_and_short_password(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["user", "create", "x", "--role", "boss", "--password", "kata-sandi-1"]).exit_code != 0
    assert runner.invoke(args=["user", "create", "x", "--password", "short"]).exit_code != 0


def test_user_create_reads_a_piped_password(app):
    result = app.test_cli_runner().invoke(args=["user", "create", "pipa", "--role", "coordinator"],
                                          input="sandi-pipa-1\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        from lms.accounts.passwords import verify_password
        user = db.session.scalar(sa.select(User).where(User.username == "pipa"))
        assert user.role == "coordinator" and verify_password(user.password_hash, "sandi-pipa-1")


def test_an_old_sign_in_expires(app, client, auth, make_user, synced):
    from datetime import timedelta
    make_user("trainee1")
    auth.login()
    assert client.get("/learn/").status_code == 200
    with app.app_context():
        days = app.config["LOGIN_SESSION_DAYS"]
        db.session.execute(sa.update(LoginSession).values(
            created_at=utcnow() - timedelta(days=days, minutes=1)))
        db.session.commit()
    assert client.get("/learn/").headers["Location"].startswith("/login")
