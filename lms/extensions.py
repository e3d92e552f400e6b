"""Flask extensions, created unbound and initialised in create_app()."""
import sqlite3
from functools import cached_property

import sqlalchemy as sa
from flask_babel import Babel
from flask_compress import Compress
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite (batch mode) and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()


class Migrations:
    """What Flask-Migrate keeps in `app.extensions["migrate"]`, without importing it: Alembic
    costs every web worker about 0.1 s of start-up and 10 MiB, and only the `db` commands,
    the tests' upgrades and /readyz use it. Flask-Migrate's functions (`upgrade()`...) and
    migrations/env.py read the same attributes as from its own record."""

    def __init__(self, database: SQLAlchemy, directory: str, **configure_args):
        self.db, self.directory, self.configure_args = database, directory, configure_args

    @cached_property
    def migrate(self):
        from flask_migrate import Migrate
        return Migrate(db=self.db, directory=self.directory, **self.configure_args)

    @property
    def metadata(self) -> MetaData:
        return self.db.metadata


def init_migrations(app, directory: str) -> None:
    app.extensions["migrate"] = Migrations(db, directory, render_as_batch=True, compare_type=True)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _connection_settings(dbapi_connection, _record) -> None:
    """SQLite: WAL so readers don't block the writer, enforce foreign keys, and overwrite
    deleted content with zeros (an erased essay must not stay readable in free pages).
    PostgreSQL: a failing statement's error log does not print its parameters (they hold
    whole essays and RTLs); docs/privacy.md says how to set the same on the server."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
    elif type(dbapi_connection).__module__.startswith("psycopg"):
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET log_parameter_max_length_on_error = 0")
            dbapi_connection.commit()
        except Exception:
            # A server older than PostgreSQL 13 has no such setting: set logging there.
            dbapi_connection.rollback()
