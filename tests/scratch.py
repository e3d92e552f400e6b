"""Throwaway databases beside the suite's own: a SQLite file, or a new PostgreSQL database on
the suite's server (or 127.0.0.1:5432), created for one test and dropped after it."""
import contextlib
import os
import uuid

import pytest
import sqlalchemy as sa

from tests.helpers import in_ci

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_server() -> sa.engine.URL:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql")):
        return sa.engine.make_url("postgresql+psycopg://" + url.split("://", 1)[1])
    return sa.engine.make_url(DEFAULT_POSTGRES)


@contextlib.contextmanager
def scratch_database(kind: str, tmp_path):
    """Yield the URL of an empty database of `kind` ('sqlite' or 'postgresql')."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / f'scratch-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    server = _postgres_server()
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"{server.database or 'test'}_scratch_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        if in_ci():
            pytest.fail(f"PostgreSQL is unreachable: {exc}")
        pytest.skip("PostgreSQL is not reachable on this machine")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def suite_dialect() -> str:
    return "postgresql" if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres") else "sqlite"
