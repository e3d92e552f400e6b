"""Fixtures: one app per test session on SQLite or PostgreSQL (TEST_DATABASE_URL),
schema built by the Alembic migrations, every table emptied after each test."""
import functools
import os
import re
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from lms import create_app
from lms.accounts.models import Role, User
from lms.accounts.passwords import hash_password
from lms.extensions import db
from tests import helpers
from tests.helpers import compile_stale_catalogs

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
REPO_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "rahasia-123"
# Argon2id far below production's cost (19 MiB): the suite makes and checks thousands of
# hashes, and what it tests of them (the format, rehashing, timing) does not need the cost.
ARGON2_TEST_COSTS = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 256}
TRANSLATIONS = REPO_ROOT / "lms" / "translations"


def pytest_sessionstart(session):
    """Compile the translation catalogues when a .mo is missing or older than its .po, as
    `make translations` would: after a bare `pip install -e .[test]` none is built."""
    compile_stale_catalogs(TRANSLATIONS)


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def _require_database(url: str) -> None:
    """Under CI an unreachable PostgreSQL is a failure, never a skip."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        pytest.exit(f"database {url} is unreachable: {exc}", returncode=3)
    finally:
        engine.dispose()


def _reset_schema() -> None:
    """Drop everything, then build the schema with the real migrations."""
    from flask_migrate import upgrade
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


class ServerLikeClient(FlaskClient):
    """Closes each response as soon as it is read, as a server does once it has sent it: pages
    are kept by lms.core.page_cache only then. A trainee's page (under /learn/) is asked for
    a second time straight after, so that it is kept whenever it can be: a later request after
    any change then meets it, and the check the tests run in (every kept page served is
    rendered as well and must match) fails on a change that did not give the page a new stamp."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        response = super().open(*args, **kwargs)
        request = response.request
        if (request.method == "GET" and request.path.startswith("/learn/") and response.status_code == 200
                and not helpers.COUNTING):
            # The same headers but the cookies, which the client sends from its jar (updated by
            # the first response).
            super().open(request.path, buffered=True,
                         headers={k: v for k, v in request.headers if k.lower() not in ("cookie", "host")})
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lms")
    url = _database_url(tmp)
    _require_database(url)
    app = create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(tmp / "instance"),
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "LMS_CONTENT_DIR": FIXTURE_CONTENT,
        **ARGON2_TEST_COSTS,
        "SERVER_NAME": None,
        # Every kept page served is rendered too and must be the same (lms.core.page_cache).
        "LMS_PAGE_CACHE_CHECK": True,
    })
    app.test_client_class = ServerLikeClient
    with app.app_context():
        _reset_schema()
    return app


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test starts from empty tables, ids counting from 1 again."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                _empty_postgresql(conn, tables)
            else:
                for name in reversed(tables):
                    conn.execute(sa.text(f"DELETE FROM {name}"))  # noqa: S608 - table names from our metadata


def _empty_postgresql(conn, tables: list[str]) -> None:
    """TRUNCATE costs ~3 ms a table whether it holds rows or not (100 ms for the schema, most
    of a small test): find the tables holding rows in one statement, DELETE from those in
    reverse dependency order and restart their sequences."""
    used = set(conn.execute(sa.text(" UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})" for name in tables))).scalars())  # noqa: S608
    if not used:
        return
    for name in reversed(tables):
        if name in used:
            conn.execute(sa.text(f"DELETE FROM {name}"))  # noqa: S608 - table names from our metadata
    sequences = conn.execute(sa.text(
        "SELECT s.relname FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass "
        "JOIN pg_class t ON t.oid = d.refobjid WHERE s.relkind = 'S' AND t.relname = ANY(:tables)"),
        {"tables": sorted(used)}).scalars().all()
    if sequences:
        conn.execute(sa.text("SELECT " + ", ".join(f"setval('{seq}', 1, false)" for seq in sequences)))


@pytest.fixture
def make_user(app):
    """Factory: make_user('trainee1', role='trainee') -> User (committed)."""
    def make(username="trainee1", role=Role.TRAINEE, password=PASSWORD, **fields):
        with app.app_context():
            user = User(username=username, role=role,
                        display_name=fields.pop("display_name", username),
                        password_hash=fixture_hash(password) if password else None, **fields)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user
    return make


def fixture_hash(password: str) -> str:
    """A hash of `password` at the app's current costs, made once per costs: fixtures give
    many people the same password, and a hash per person is most of a small test's time."""
    from flask import current_app
    cfg = current_app.config
    return _hash_at(password, cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"])


@functools.cache
def _hash_at(password: str, *_costs) -> str:   # the costs are the key; hash_password reads them
    return hash_password(password)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username="trainee1", password=PASSWORD, **extra):
        page = self._client.get("/login")
        token = csrf_token(page.get_data(as_text=True))
        return self._client.post("/login", data={"username": username, "password": password,
                                                 "csrf_token": token, **extra})

    def logout(self):
        page = self._client.get("/learn/")
        return self._client.post("/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def synced(app):
    """The small fixture curriculum, synced."""
    from lms.content.loader import load_curriculum
    from lms.content.sync import sync_curriculum
    curriculum = load_curriculum(FIXTURE_CONTENT)
    assert curriculum.ok, curriculum.problems
    with app.app_context():
        sync_curriculum(curriculum)
        db.session.commit()
    return curriculum


@pytest.fixture(autouse=True)
def _push_request_context():
    """Override pytest-flask's: one shared request context would share `g` across client
    requests (Flask reuses an active app context), which real requests never do."""
    yield


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over real HTTP by a threaded server, for browsers and races."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def client(app):
    """A test client that keeps no request context between requests (pytest-flask's
    `with client:` would leave the last one pushed and share `g` with other clients)."""
    return app.test_client()
