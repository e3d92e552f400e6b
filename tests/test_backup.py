"""Backups taken during a burst of writes restore every committed attempt; `db copy` moves a
site between SQLite and PostgreSQL with every row."""
import threading

import pytest
import sqlalchemy as sa

from lms import create_app
from lms.accounts.models import Role, User
from lms.assessment.attempts import start_or_resume, submit
from lms.assessment.models import Attempt, AttemptStatus, Quiz
from lms.core.backup import BackupError, create_backup, restore_backup
from lms.extensions import db
from tests.conftest import ARGON2_TEST_COSTS, FIXTURE_CONTENT
from tests.scratch import scratch_database, suite_dialect


def _take_quiz(n: int) -> int:
    """One trainee created, started and submitted in one transaction; the attempt's id."""
    user = User(username=f"burst{n}", display_name=f"Burst {n}", role=Role.TRAINEE)
    db.session.add(user)
    db.session.flush()
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "kuis-modul-1"))
    attempt = start_or_resume(user.id, quiz)
    db.session.flush()
    submit(attempt, {}, quiz.pass_mark)  # blank: scored 0, still whole
    db.session.commit()
    return attempt.id


def test_a_backup_taken_during_a_burst_of_writes_restores_every_committed_attempt(app, synced, tmp_path):
    committed: list[int] = []
    stop = threading.Event()
    errors: list[Exception] = []

    def burst():
        with app.app_context():
            n = 0
            try:
                while not stop.is_set() and n < 400:
                    committed.append(_take_quiz(n))
                    n += 1
            except Exception as exc:  # the assertion below reports it
                errors.append(exc)
            finally:
                db.session.remove()

    writer = threading.Thread(target=burst)
    writer.start()
    try:
        while len(committed) < 15 and writer.is_alive():
            stop.wait(0.01)
        before = list(committed)             # committed before the backup began
        with app.app_context():
            backup = create_backup(db.engine, tmp_path / "backups")
        while len(committed) < len(before) + 10 and writer.is_alive():
            stop.wait(0.01)                  # the writes went on during and after it
    finally:
        stop.set()
        writer.join(60)
    assert not errors, errors
    assert len(committed) > len(before)

    with scratch_database(suite_dialect(), tmp_path) as url:
        engine = sa.create_engine(url)
        try:
            restore_backup(engine, backup)
            with engine.connect() as conn:
                rows = conn.execute(sa.select(Attempt.__table__.c.id, Attempt.__table__.c.status,
                                              Attempt.__table__.c.submitted_at)).all()
                version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        finally:
            engine.dispose()
    restored = {row.id for row in rows}
    assert set(before) <= restored
    # Whatever else it holds is whole: each attempt was created and submitted in one transaction.
    assert all(row.status != AttemptStatus.OPEN and row.submitted_at is not None for row in rows)
    assert restored <= set(committed)
    with app.app_context():
        head = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == head


def test_restore_refuses_a_database_that_is_not_empty(app, tmp_path):
    with app.app_context():
        backup = create_backup(db.engine, tmp_path)
        with pytest.raises(BackupError, match="not empty"):
            restore_backup(db.engine, backup)


def test_restore_names_a_file_that_is_not_a_backup(app, tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("hello")
    with scratch_database("sqlite", tmp_path) as url:
        engine = sa.create_engine(url)
        with pytest.raises(BackupError, match="notes.txt: not a backup"):
            restore_backup(engine, stray)
        with pytest.raises(BackupError, match="no such backup file"):
            restore_backup(engine, tmp_path / "missing.sqlite3")
        engine.dispose()


def test_backup_and_restore_commands(app, synced, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "create", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    backup = result.output.strip().splitlines()[-1]
    assert backup.endswith((".sqlite3", ".pgdump"))
    result = runner.invoke(args=["backup", "restore", backup])
    assert result.exit_code != 0 and "not empty" in result.output


def _site(url: str, tmp_path):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                       "LMS_CONTENT_DIR": FIXTURE_CONTENT, **ARGON2_TEST_COSTS})


def _table_rows(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]
                for t in db.metadata.sorted_tables}


def test_db_copy_moves_a_sqlite_site_to_postgresql_with_every_row(tmp_path):
    source = _site(f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path)
    runner = source.test_cli_runner()
    for args in (["db", "upgrade"], ["content", "sync"], ["demo"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    with source.app_context():
        _take_quiz(1)
        expected = _table_rows(db.engine)
    assert sum(1 for rows in expected.values() if rows) >= 10   # content, people, cohorts, attempts…

    with scratch_database("postgresql", tmp_path) as url:
        result = runner.invoke(args=["db", "copy", "--to", url])
        assert result.exit_code == 0, result.output
        target = _site(url.replace("postgresql://", "postgresql+psycopg://", 1)
                       if url.startswith("postgresql://") else url, tmp_path)
        with target.app_context():
            assert _table_rows(db.engine) == expected
            # The id sequences moved past the copied rows: the site takes new rows.
            highest = max(row[0] for row in expected["users"])
            user = User(username="baru", display_name="Baru", role=Role.TRAINEE)
            db.session.add(user)
            db.session.commit()
            assert user.id > highest
            db.session.remove()
            db.engine.dispose()
        # A second copy into the same database is refused and changes nothing.
        result = runner.invoke(args=["db", "copy", "--to", url])
        assert result.exit_code != 0 and "already holds rows" in result.output
