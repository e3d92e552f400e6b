"""Backups taken while the site runs, their restore into an empty database, and moving a site's
rows to another database (SQLite to PostgreSQL).

SQLite snapshots use SQLite's online backup API, which copies a consistent state even while
other connections write; PostgreSQL snapshots use `pg_dump`, which reads inside one repeatable-read
transaction. Either way a backup holds every attempt committed before it started and no half
of one.
"""
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore, called with argument lists, never a shell
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from lms.extensions import db
from lms.timeutil import utcnow

SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".pgdump"
COPY_BATCH = 1000


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _libpq(url: sa.engine.URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes in the environment, not argv."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
            "--username", url.username or "postgres", "--dbname", url.database or ""]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return path


def create_backup(engine: sa.Engine, directory: Path) -> Path:
    """Write a consistent snapshot of the database into `directory`; return the file."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%d-%H%M%S-%f")
    if engine.dialect.name == "sqlite":
        target = directory / f"lms-{stamp}{SQLITE_SUFFIX}"
        raw = engine.raw_connection()
        try:
            out = sqlite3.connect(target)
            try:
                raw.driver_connection.backup(out)  # all pages in one step: one consistent state
            finally:
                out.close()
        finally:
            raw.close()
        return target
    if engine.dialect.name == "postgresql":
        target = directory / f"lms-{stamp}{POSTGRES_SUFFIX}"
        args, env = _libpq(engine.url)
        subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",  # noqa: S603
                        "--file", str(target), *args], check=True, env=env, capture_output=True)
        return target
    raise BackupError(f"backups of {engine.dialect.name} databases are not supported")


def user_tables(engine: sa.Engine) -> list[str]:
    return [t for t in sa.inspect(engine).get_table_names() if t != "sqlite_sequence"]


def restore_backup(engine: sa.Engine, file: Path) -> None:
    """Restore `file` into the database of `engine`, which must be empty (no tables at all)."""
    if not file.is_file():
        raise BackupError(f"{file}: no such backup file")
    existing = user_tables(engine)
    if existing:
        raise BackupError(f"the database is not empty ({len(existing)} tables, e.g. {existing[0]}); "
                          "restore into a new, empty database")
    if file.suffix == SQLITE_SUFFIX:
        if engine.dialect.name != "sqlite":
            raise BackupError(f"{file.name} is a SQLite backup: restore it into SQLite, then move it "
                              "with `flask --app lms db copy --to URL`")
        source = sqlite3.connect(file)
        raw = engine.raw_connection()
        try:
            source.backup(raw.driver_connection)
        finally:
            raw.close()
            source.close()
        return
    if file.suffix == POSTGRES_SUFFIX:
        if engine.dialect.name != "postgresql":
            raise BackupError(f"{file.name} is a PostgreSQL backup: restore it into PostgreSQL")
        args, env = _libpq(engine.url)
        result = subprocess.run([_tool("pg_restore"), "--no-owner", "--no-privileges",  # noqa: S603
                                 "--exit-on-error", *args, str(file)], env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    raise BackupError(f"{file.name}: not a backup of this site (expected {SQLITE_SUFFIX} or {POSTGRES_SUFFIX})")


def copy_rows(source: sa.Engine, target: sa.Engine, metadata: sa.MetaData) -> dict[str, int]:
    """Copy every row of every table from `source` into the (migrated, empty) `target`, in one
    transaction: parents before children, each table in primary-key order."""
    counts: dict[str, int] = {}
    with source.connect() as read, target.begin() as write:
        for table in metadata.sorted_tables:
            if write.execute(sa.select(sa.func.count()).select_from(table)).scalar():
                raise BackupError(f"the target database already holds rows in {table.name}; "
                                  "copy into a new, empty database")
        for table in metadata.sorted_tables:
            counts[table.name] = 0
            result = read.execution_options(stream_results=True).execute(
                sa.select(table).order_by(*table.primary_key.columns))
            while batch := result.fetchmany(COPY_BATCH):
                write.execute(table.insert(), [row._asdict() for row in batch])
                counts[table.name] += len(batch)
        if write.dialect.name == "postgresql":
            _reset_sequences(write, metadata)
    return counts


def _reset_sequences(conn, metadata: sa.MetaData) -> None:
    """Rows copied with their ids leave the id sequences at 1; move each past its highest id."""
    for table in metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        sequence = conn.execute(sa.select(sa.func.pg_get_serial_sequence(table.name, pk[0].name))).scalar()
        if sequence:
            highest = conn.execute(sa.select(sa.func.max(pk[0]))).scalar()
            conn.execute(sa.select(sa.func.setval(sequence, highest or 1, highest is not None)))


@click.group("backup", help="Back up the database while the site runs, and restore a backup.")
def backup_cli() -> None:
    pass


@backup_cli.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def create_command(directory: Path) -> None:
    """Write a consistent snapshot into DIRECTORY and print its path."""
    try:
        click.echo(create_backup(db.engine, directory))
    except (BackupError, subprocess.CalledProcessError) as exc:
        raise click.ClickException(str(getattr(exc, "stderr", b"") or exc)) from exc


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(file: Path) -> None:
    """Restore FILE into this site's database, which must be empty."""
    try:
        restore_backup(db.engine, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored {file.name} into {db.engine.url.render_as_string(hide_password=True)}")
