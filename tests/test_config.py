"""Configuration, the database connection settings, and the user command."""
import pytest
import sqlalchemy as sa

from lms import create_app
from lms.config import load_config
from lms.extensions import db
from tests.conftest import ARGON2_TEST_COSTS


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("LMS_ENV", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    assert (tmp_path / "secret_key").read_text() == first and len(first) >= 32
    assert load_config(tmp_path)["SECRET_KEY"] == first  # survives a restart


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("LMS_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True


def _pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def test_signing_key_comes_from_the_environment_a_file_or_once_into_instance(tmp_path, monkeypatch):
    for name in ("LMS_SIGNING_KEY", "LMS_SIGNING_KEY_FILE", "LMS_ENV"):
        monkeypatch.delenv(name, raising=False)
    generated = load_config(tmp_path)["LMS_SIGNING_KEY"]
    assert generated.startswith("-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "signing_key.pem").stat().st_mode & 0o077 == 0
    assert load_config(tmp_path)["LMS_SIGNING_KEY"] == generated   # never one per process
    pem = _pem()
    monkeypatch.setenv("LMS_SIGNING_KEY", pem.strip().replace("\n", "\\n"))   # one line, as in a .env file
    assert load_config(tmp_path)["LMS_SIGNING_KEY"].strip() == pem.strip()
    monkeypatch.delenv("LMS_SIGNING_KEY")
    key_file = tmp_path / "site.pem"
    key_file.write_text(pem)
    monkeypatch.setenv("LMS_SIGNING_KEY_FILE", str(key_file))
    assert load_config(tmp_path)["LMS_SIGNING_KEY"] == pem
    monkeypatch.delenv("LMS_SIGNING_KEY_FILE")
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert load_config(tmp_path / "prod")["LMS_SIGNING_KEY"] is None   # production never generates one
    monkeypatch.setenv("LMS_BASE_URL", "https://lms.example.org/")
    assert load_config(tmp_path / "prod")["LMS_BASE_URL"] == "https://lms.example.org"


def test_database_url_defaults_to_sqlite_in_instance_and_maps_postgres(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'lms.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    broken = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db",
                         "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_user_create_without_password_prints_an_activation_code(app):
    result = app.test_cli_runner().invoke(args=["user", "create", "kenari", "--role", "trainee"])
    assert result.exit_code == 0, result.output
    assert "activation code:" in result.output
    code = result.output.split("activation code: ")[1].split()[0]
    from lms.accounts.activation import redeem
    from lms.timeutil import utcnow
    with app.app_context():
        assert redeem("kenari", code, "sandi-kenari", utcnow()) is not None
        db.session.rollback()


def test_migrations_go_down_and_up_again(tmp_path):
    from flask_migrate import downgrade, upgrade
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db", "SECRET_KEY": "x",
                      "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"users", "attempts", "cohorts", "action_plans"} <= tables
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(sa.inspect(db.engine).get_table_names()) == tables


def test_throttling_sees_the_address_behind_a_trusted_proxy(tmp_path):
    from lms.accounts import throttle
    from lms.accounts.models import LoginThrottle
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", "SECRET_KEY": "x",
                      "INSTANCE_PATH": str(tmp_path), "LMS_TRUSTED_PROXIES": 1,
                      "WTF_CSRF_ENABLED": False, **ARGON2_TEST_COSTS})
    from flask_migrate import upgrade
    with app.app_context():
        upgrade()
    client = app.test_client()
    client.post("/login", data={"username": "nobody", "password": "x"},
                headers={"X-Forwarded-For": "203.0.113.7"})
    with app.app_context():
        keys = set(db.session.scalars(sa.select(LoginThrottle.key)))
    assert throttle.address_key("203.0.113.7") in keys


def test_readyz_checks_the_migrations_are_current(app, client):
    assert client.get("/readyz").json == {"status": "ok", "database": "ok", "migrations": "current"}
    from lms.extensions import db
    with app.app_context():
        with db.engine.begin() as conn:
            head = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '3b1c0e7d9a21'"))
        try:
            response = client.get("/readyz")
            assert response.status_code == 503 and response.json["migrations"] == "behind"
        finally:
            with db.engine.begin() as conn:
                conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": head})


def test_purge_deletes_only_what_no_longer_protects_anyone(app, make_user):
    import datetime as dt

    from lms.accounts.models import ActivationCode, LoginSession, LoginThrottle
    from lms.extensions import db
    from lms.timeutil import utcnow
    user = make_user("kenari")
    now = utcnow()
    with app.app_context():
        db.session.add_all([
            LoginSession(user_id=user.id, token="live", created_at=now),
            LoginSession(user_id=user.id, token="revoked", created_at=now, revoked_at=now),
            LoginSession(user_id=user.id, token="old", created_at=now - dt.timedelta(days=15)),
            LoginThrottle(key="account:x", failures=3, window_started_at=now),
            LoginThrottle(key="account:y", failures=3, window_started_at=now - dt.timedelta(hours=1)),
            ActivationCode(user_id=user.id, code_hash="a" * 64, expires_at=now + dt.timedelta(days=20)),
            ActivationCode(user_id=user.id, code_hash="b" * 64, expires_at=now - dt.timedelta(days=40)),
        ])
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "purged 2 sign-in sessions" in result.output and "purged 1 throttle rows" in result.output
    with app.app_context():
        assert set(db.session.scalars(sa.select(LoginSession.token))) == {"live"}
        assert set(db.session.scalars(sa.select(LoginThrottle.key))) == {"account:x"}
        assert set(db.session.scalars(sa.select(ActivationCode.code_hash))) == {"a" * 64}
    assert "purged 0 sign-in sessions" in app.test_cli_runner().invoke(args=["purge"]).output


def test_behind_pgbouncer_psycopg_never_prepares_statements(tmp_path, monkeypatch):
    # PgBouncer in transaction mode may run each transaction on another server connection,
    # where a statement prepared on the last one does not exist (tests/test_cluster.py runs
    # three servers through it).
    monkeypatch.setenv("DATABASE_URL", "postgresql://lms@127.0.0.1:6432/lms")
    monkeypatch.delenv("DATABASE_PGBOUNCER", raising=False)
    assert "connect_args" not in load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]
    monkeypatch.setenv("DATABASE_PGBOUNCER", "1")
    options = load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {"prepare_threshold": None}
    # SQLite has no such thing.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'lms.sqlite3'}")
    assert "connect_args" not in load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]


def test_compression_can_be_left_to_nginx(tmp_path, monkeypatch):
    monkeypatch.delenv("LMS_COMPRESS", raising=False)
    page = {"Accept-Encoding": "gzip"}
    on = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert on.test_client().get("/login", headers=page).headers.get("Content-Encoding") == "gzip"
    monkeypatch.setenv("LMS_COMPRESS", "0")
    off = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert "Content-Encoding" not in off.test_client().get("/login", headers=page).headers
