"""Throttling of sign-in, activation codes and certificate checks: atomic counts in the
database shared by every app server, the same answers for unknown and known usernames, and
device cookies that keep an owner signing in while strangers are locked out."""
import json
import re
import statistics
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from lms import create_app
from lms.accounts import devices, throttle
from lms.accounts.models import LoginSession, LoginThrottle, User
from lms.extensions import db
from lms.timeutil import utcnow
from tests.conftest import PASSWORD, csrf_token

PARALLEL = 40
WRONG = "tebakan-yang-salah"


def _client(app, address="127.0.0.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _token(client, path="/login"):
    return csrf_token(client.get(path).get_data(as_text=True))


def _login(client, username="trainee1", password=PASSWORD, token=None):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token or _token(client)})


def _logout(client):
    assert client.get("/logout").status_code == 302


def _in_parallel(work, n=PARALLEL):
    """Run work(i) in n threads released at once; their results in order."""
    barrier, results = threading.Barrier(n), [None] * n

    def run(i):
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


# --- atomic counting ------------------------------------------------------------------

def test_parallel_counts_let_exactly_the_limit_through(app):
    now, window = utcnow(), timedelta(minutes=15)

    def count(_i):
        with app.app_context():
            return throttle.hit({"account:sasaran": 5}, now, window)

    waits = _in_parallel(count)
    assert waits.count(0) == 5 and all(w > 0 for w in waits if w)
    with app.app_context():
        assert db.session.get(LoginThrottle, "account:sasaran").failures == PARALLEL


def test_parallel_guesses_at_one_password_get_at_most_the_allowed_checks(app, make_user):
    make_user("trainee1")
    limit = app.config["LOGIN_MAX_FAILURES_ACCOUNT"]
    clients = [_client(app) for _ in range(PARALLEL)]
    tokens = [_token(c) for c in clients]
    statuses = _in_parallel(lambda i: _login(clients[i], password=f"{WRONG}-{i}", token=tokens[i]).status_code)
    # 401 = the password was checked (and was wrong); 429 = refused before any check.
    assert statuses.count(401) == limit and statuses.count(429) == PARALLEL - limit
    assert _login(_client(app)).status_code == 429      # the right password waits too


def test_parallel_certificate_checks_get_at_most_the_allowed_lookups(app, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_MAX_PER_ADDRESS", 5)
    clients = [_client(app) for _ in range(20)]
    statuses = _in_parallel(lambda i: clients[i].get("/verify/TIDAK-ADA").status_code, n=20)
    assert statuses.count(404) == 5 and statuses.count(429) == 15
    limited = _client(app).get("/verify/TIDAK-ADA")
    assert limited.status_code == 429 and "Terlalu banyak sertifikat" in limited.get_data(as_text=True)
    assert 0 < int(limited.headers["Retry-After"]) <= 61


# --- answers --------------------------------------------------------------------------

def test_too_many_attempts_answer_429_in_the_persons_language(app, make_user):
    make_user("trainee1")
    limit = app.config["LOGIN_MAX_FAILURES_ACCOUNT"]
    client = _client(app)
    for _ in range(limit):
        assert _login(client, password=WRONG).status_code == 401
    response = _login(client)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan gagal. Coba lagi dalam 15 menit." in response.get_data(as_text=True)
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60 + 1
    english = _client(app)
    token = csrf_token(english.get("/login?lang=en").get_data(as_text=True))
    answer = _login(english, token=token)
    assert answer.status_code == 429 and "Too many failed attempts. Try again in 15 minutes." in answer.get_data(
        as_text=True)


def _answers(app, username, address, attempts):
    client = _client(app, address)
    seen = []
    for _ in range(attempts):
        response = _login(client, username, WRONG)
        body = response.get_data(as_text=True).replace(username, "NAME")
        body = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "TOKEN", body)
        seen.append((response.status_code, body, "Retry-After" in response.headers))
    return seen


def test_unknown_and_known_usernames_get_the_same_answers(app, make_user):
    make_user("trainee1")
    limit = app.config["LOGIN_MAX_FAILURES_ACCOUNT"]
    known = _answers(app, "trainee1", "10.0.1.1", limit + 2)
    unknown = _answers(app, "tidak-ada-orangnya", "10.0.1.2", limit + 2)
    assert [status for status, _, _ in known] == [401] * limit + [429, 429]
    assert known == unknown


def test_unknown_and_known_usernames_take_about_as_long(app, make_user, monkeypatch):
    """With the real Argon2 costs, a missing account costs a hash like a present one."""
    for name, value in (("ARGON2_MEMORY_COST", 19456), ("ARGON2_TIME_COST", 2), ("ARGON2_PARALLELISM", 1)):
        monkeypatch.setitem(app.config, name, value)
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_ACCOUNT", 100)
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_ADDRESS", 100)
    make_user("trainee1")
    client = _client(app)
    token = _token(client)
    took = {"trainee1": [], "tidak-ada-orangnya": []}
    for _ in range(7):
        for username, times in took.items():
            start = time.perf_counter()
            assert _login(client, username, WRONG, token=token).status_code == 401
            times.append(time.perf_counter() - start)
    known, unknown = (statistics.median(t) for t in took.values())
    # Without the stand-in hash a missing account would answer many times faster.
    assert 1 / 3 < unknown / known < 3, (known, unknown)


def test_activation_codes_are_throttled_alike_for_every_username(app, make_user):
    make_user("trainee1", password=None)
    limit = app.config["LOGIN_MAX_FAILURES_ACCOUNT"]

    def tries(username, address):
        client = _client(app, address)
        statuses = []
        for _ in range(limit + 1):
            data = {"username": username, "code": "AAAA-BBBB", "password": "bunga-melati-pagi",
                    "confirm": "bunga-melati-pagi", "csrf_token": _token(client, "/activate")}
            response = client.post("/activate", data=data)
            statuses.append(response.status_code)
        return statuses, response.get_data(as_text=True)

    (known, body), (unknown, _) = tries("trainee1", "10.0.2.1"), tries("tidak-ada", "10.0.2.2")
    assert known == unknown == [400] * limit + [429]
    assert "Terlalu banyak percobaan gagal" in body


def test_successful_sign_ins_do_not_use_up_a_shared_address(app, make_user, monkeypatch):
    """An NGO office behind one address: everyone signing in must not lock the others out."""
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_ADDRESS", 3)
    for i in range(6):
        make_user(f"peserta{i}")
    assert [_login(_client(app), f"peserta{i}").status_code for i in range(6)] == [302] * 6
    for i in range(3):
        assert _login(_client(app), f"peserta{i}", WRONG).status_code == 401
    assert _login(_client(app), "peserta5").status_code == 429


# --- device cookies -------------------------------------------------------------------

def _lock_for_strangers(app, username="trainee1"):
    stranger = _client(app, "198.51.100.66")
    for _ in range(app.config["LOGIN_MAX_FAILURES_ACCOUNT"]):
        assert _login(stranger, username, WRONG).status_code == 401
    assert _login(stranger, username).status_code == 429


def test_a_device_that_signed_in_before_keeps_signing_in_while_strangers_are_locked_out(app, make_user):
    make_user("trainee1")
    phone = _client(app, "10.0.3.1")
    assert _login(phone).status_code == 302
    assert phone.get_cookie(devices.COOKIE) is not None
    _logout(phone)
    _lock_for_strangers(app)
    assert _login(_client(app, "10.0.3.2")).status_code == 429       # any other new device
    assert _login(phone).status_code == 302                            # the owner's phone
    assert phone.get("/account/sessions").status_code == 200


def test_a_device_cookie_used_for_guessing_is_locked_in_its_turn(app, make_user):
    make_user("trainee1")
    limit = app.config["LOGIN_MAX_FAILURES_DEVICE"]
    phone = _client(app)
    assert _login(phone).status_code == 302
    _logout(phone)
    for _ in range(limit):
        assert _login(phone, password=WRONG).status_code == 401
    with app.app_context():   # counted against the device only, not against the account
        assert db.session.get(LoginThrottle, throttle.account_key("trainee1")) is None
    # Now the cookie counts as an unknown device: the account's own limit applies.
    for _ in range(app.config["LOGIN_MAX_FAILURES_ACCOUNT"]):
        assert _login(phone, password=WRONG).status_code == 401
    assert _login(phone).status_code == 429


def test_a_device_cookie_names_no_one_and_cannot_be_forged_or_lent(app, make_user):
    make_user("trainee1")
    make_user("trainee2")
    phone = _client(app)
    assert _login(phone, "trainee2").status_code == 302
    value = phone.get_cookie(devices.COOKIE).value
    entries = URLSafeTimedSerializer(app.secret_key, salt="lms-device-cookie").loads(value)
    assert len(entries) == 1 and "trainee2" not in json.dumps(entries) and "trainee2" not in value
    _logout(phone)
    _lock_for_strangers(app, "trainee1")
    assert _login(phone, "trainee1").status_code == 429      # trainee2's cookie is no help
    forged = _client(app)
    forged.set_cookie(devices.COOKIE, value[:-3] + ("aaa" if not value.endswith("aaa") else "bbb"))
    _lock_for_strangers(app, "trainee2")
    assert _login(forged, "trainee2").status_code == 429
    assert _login(phone, "trainee2").status_code == 302


def test_a_shared_phone_remembers_several_accounts(app, make_user):
    for name in ("trainee1", "trainee2"):
        make_user(name)
    phone = _client(app)
    for name in ("trainee1", "trainee2"):
        assert _login(phone, name).status_code == 302
        _logout(phone)
        _lock_for_strangers(app, name)
    assert _login(phone, "trainee1").status_code == 302
    _logout(phone)
    assert _login(phone, "trainee2").status_code == 302


# --- several app servers --------------------------------------------------------------

@pytest.fixture
def second_server(app):
    """Another app process on the same database (as gunicorn's workers are)."""
    names = ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "LMS_CONTENT_DIR", "ARGON2_TIME_COST",
             "ARGON2_MEMORY_COST", "SERVER_NAME")
    other = create_app({**{name: app.config[name] for name in names}, "INSTANCE_PATH": app.instance_path})
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_throttle_holds_across_two_app_servers(app, second_server, make_user):
    make_user("trainee1")
    assert second_server is not app
    one, two = _client(app, "10.0.4.1"), _client(second_server, "10.0.4.2")
    for client in (one, two, one, two, one):
        assert _login(client, password=WRONG).status_code == 401
    assert _login(two).status_code == 429 and _login(one).status_code == 429


def test_a_device_cookie_from_one_app_server_counts_on_another(app, second_server, make_user):
    make_user("trainee1")
    phone = _client(app)
    assert _login(phone).status_code == 302
    _lock_for_strangers(app)
    same_phone = _client(second_server)
    same_phone.set_cookie(devices.COOKIE, phone.get_cookie(devices.COOKIE).value)
    assert _login(same_phone).status_code == 302


# --- sessions -------------------------------------------------------------------------

def test_signing_in_starts_a_new_session(app, make_user):
    make_user("trainee1")
    client = _client(app)
    client.get("/login")
    with client.session_transaction() as session:
        session["sid"] = "ditanam-orang-lain"
        session["leftover"] = "x"
    before = client.get_cookie("lms_session").value
    assert _login(client).status_code == 302
    with client.session_transaction() as session:
        first = session["sid"]
        assert "leftover" not in session
    assert first != "ditanam-orang-lain" and client.get_cookie("lms_session").value != before
    with app.app_context():
        assert db.session.scalar(sa.select(User.username).join(LoginSession).where(
            LoginSession.token == first)) == "trainee1"
    copy = _client(app)
    copy.set_cookie("lms_session", before)
    assert copy.get("/account/sessions").status_code == 302       # the pre-sign-in cookie is worthless
    _logout(client)
    assert _login(client).status_code == 302
    with client.session_transaction() as session:
        assert session["sid"] not in (first, "ditanam-orang-lain")
