"""Passwords: Argon2id at OWASP's minimum cost, rehashed at sign-in, common ones refused
wherever a password is chosen."""
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from lms.accounts.models import User
from lms.accounts.passwords import common_passwords, hash_password, verify_password
from lms.accounts.person_fields import password_problems
from lms.config import load_config
from lms.extensions import db
from tests.conftest import PASSWORD, AuthActions, csrf_token

COMMON_MESSAGE = "terlalu umum"


def test_the_configured_cost_is_owasps_minimum(tmp_path, app, monkeypatch):
    cfg = load_config(tmp_path)
    assert (cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_TIME_COST"], cfg["ARGON2_PARALLELISM"]) == (19456, 2, 1)
    for name in ("ARGON2_MEMORY_COST", "ARGON2_TIME_COST", "ARGON2_PARALLELISM"):
        monkeypatch.setitem(app.config, name, cfg[name])
    with app.app_context():
        stored = hash_password("kalimat-rahasia-panjang")
        assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert verify_password(stored, "kalimat-rahasia-panjang")
        assert not verify_password(stored, "kalimat-rahasia-lain")


def _stored_hash(app, username):
    with app.app_context():
        return db.session.scalar(sa.select(User.password_hash).where(User.username == username))


def test_a_hash_with_old_costs_is_redone_at_the_next_sign_in(app, make_user):
    old = PasswordHasher(time_cost=3, memory_cost=16384, parallelism=4).hash(PASSWORD)
    user = make_user("trainee1")
    with app.app_context():
        db.session.get(User, user.id).password_hash = old
        db.session.commit()
    client = app.test_client()
    assert AuthActions(client).login(password="salah-sekali").status_code == 401
    assert _stored_hash(app, "trainee1") == old          # a wrong password changes nothing
    assert AuthActions(client).login().status_code == 302
    new = _stored_hash(app, "trainee1")
    cfg = app.config
    assert new != old and new.startswith(
        f"$argon2id$v=19$m={cfg['ARGON2_MEMORY_COST']},t={cfg['ARGON2_TIME_COST']},p={cfg['ARGON2_PARALLELISM']}$")
    # The new hash is the same password, and a hash with today's costs is left alone.
    assert AuthActions(app.test_client()).login().status_code == 302
    assert _stored_hash(app, "trainee1") == new


@pytest.mark.parametrize("password", ["sayang123", "Bismillah", "INDONESIA", "katasandi", "paralegal",
                                      "password1", "iloveyou", "Qwertyuiop", "paralegal-demo"])
def test_common_passwords_are_refused_in_any_letter_case(app, password):
    with app.test_request_context():
        problems = password_problems(password)
    assert len(problems) == 1 and COMMON_MESSAGE in problems[0]


def test_the_list_is_shipped_with_the_indonesian_ones(app):
    listed = common_passwords()
    assert len(listed) > 3000
    assert {"sayang123", "indonesia", "bismillah", "rahasia", "sayangku", "cintaku", "katasandi",
            "123456", "qwerty", "paralegal"} <= listed
    assert not any(line.startswith("# ") for line in listed)
    with app.test_request_context():
        assert password_problems(PASSWORD) == []
        assert password_problems("tiga kata acak sekali") == []
        assert password_problems("sayang12") == []      # only the listed password itself
        assert "8" in password_problems("rahasia")[0]     # short ones hear about the length first


def test_a_common_password_is_refused_at_activation(app, make_user):
    from lms.accounts.activation import issue_code
    from lms.timeutil import utcnow
    user = make_user("trainee1", password=None)
    with app.app_context():
        code = issue_code(db.session.get(User, user.id), None, utcnow())
        db.session.commit()
    client = app.test_client()
    page = client.get("/activate").get_data(as_text=True)
    data = {"username": "trainee1", "code": code, "password": "Sayangku", "confirm": "Sayangku",
            "csrf_token": csrf_token(page)}
    refused = client.post("/activate", data=data)
    assert refused.status_code == 400 and COMMON_MESSAGE in refused.get_data(as_text=True)
    assert _stored_hash(app, "trainee1") is None
    # The code was not spent on the refusal.
    ok = client.post("/activate", data={**data, "password": "bunga-melati-pagi", "confirm": "bunga-melati-pagi"})
    assert ok.status_code == 302


def test_a_common_password_is_refused_when_changing_it(app, make_user):
    make_user("trainee1")
    client = app.test_client()
    assert AuthActions(client).login().status_code == 302
    page = client.get("/account/password").get_data(as_text=True)
    response = client.post("/account/password", data={"current": PASSWORD, "password": "Indonesia123",
                                                       "confirm": "Indonesia123", "csrf_token": csrf_token(page)})
    assert response.status_code == 400 and COMMON_MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert verify_password(_stored_hash(app, "trainee1"), PASSWORD)


def test_the_user_command_refuses_a_common_password(app):
    result = app.test_cli_runner().invoke(args=["user", "create", "fasil3", "--password", "bismillah123"])
    assert result.exit_code != 0 and COMMON_MESSAGE in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.username == "fasil3")) is None


def test_demo_accounts_sign_in_with_the_published_demo_password(app):
    """The demo sets its password directly; a person may not choose it (it is in the README)."""
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    assert AuthActions(app.test_client()).login("trainee1", app.config["LMS_DEMO_PASSWORD"]).status_code == 302
