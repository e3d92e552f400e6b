"""Migrations on a database with people and their work in it, on SQLite and PostgreSQL."""
import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from lms import create_app
from lms.extensions import db
from tests.conftest import ARGON2_TEST_COSTS, FIXTURE_CONTENT
from tests.scratch import scratch_database

DIALECTS = ["sqlite", "postgresql"]


def _site(url, tmp_path):
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                       "LMS_CONTENT_DIR": FIXTURE_CONTENT, **ARGON2_TEST_COSTS})


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar()  # noqa: S608 - our table names
                for t in sa.inspect(engine).get_table_names()}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_populated_database_goes_down_to_base_and_up_again(dialect, tmp_path):
    with scratch_database(dialect, tmp_path) as url:
        site = _site(url, tmp_path)
        runner = site.test_cli_runner()
        for args in (["db", "upgrade"], ["content", "sync"], ["demo"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, result.output
        with site.app_context():
            populated = _counts(db.engine)
            assert populated["users"] >= 5 and populated["modules"] > 0
            downgrade(revision="base")
            assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert set(_counts(db.engine)) == set(populated)
            db.session.remove()
            db.engine.dispose()
        # The rebuilt schema takes the same data again.
        for args in (["content", "sync"], ["demo"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, result.output
        with site.app_context():
            assert _counts(db.engine)["users"] == populated["users"]
            db.engine.dispose()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_one_open_attempt_migration_repairs_duplicates_before_its_index(dialect, tmp_path):
    """Two taps on "start" before 2aac04a6c9d1 could leave two open attempts; the upgrade keeps
    the one saved last instead of failing with a UNIQUE violation."""
    with scratch_database(dialect, tmp_path) as url:
        site = _site(url, tmp_path)
        with site.app_context():
            upgrade(revision="2778dc7a0ae9")
            early, late = dt.datetime(2026, 11, 1, 9), dt.datetime(2026, 11, 1, 10)
            with db.engine.begin() as conn:
                _insert_world(conn, early)
                for aid, number, updated in ((1, 1, early), (2, 2, late), (3, 3, early)):
                    conn.execute(sa.text(
                        "INSERT INTO attempts (id, user_id, quiz_slug, quiz_version_id, kind, number, status,"
                        " layout, answers, credits, started_at, updated_at) VALUES"
                        " (:id, 1, 'kuis', 1, 'quiz', :n, 'open', '{}', :answers, '{}', :t, :u)"),
                        {"id": aid, "n": number, "t": early, "u": updated, "answers": f'{{"0": {aid}}}'})
                conn.execute(sa.text(
                    "INSERT INTO attempts (id, user_id, quiz_slug, quiz_version_id, kind, number, status,"
                    " layout, answers, credits, started_at, updated_at, submitted_at) VALUES"
                    " (4, 1, 'kuis', 1, 'quiz', 4, 'graded', '{}', '{}', '{}', :t, :t, :t)"), {"t": early})
            upgrade()
            with db.engine.connect() as conn:
                rows = conn.execute(sa.text("SELECT id, status FROM attempts ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(2, "open"), (4, "graded")]
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                conn.execute(sa.text(
                    "INSERT INTO attempts (id, user_id, quiz_slug, quiz_version_id, kind, number, status,"
                    " layout, answers, credits, started_at, updated_at) VALUES"
                    " (5, 1, 'kuis', 1, 'quiz', 5, 'open', '{}', '{}', '{}', :t, :t)"), {"t": early})
            db.engine.dispose()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_graded_attempts_get_their_percent_per_module_when_it_starts_being_kept(dialect, tmp_path):
    """e5a7c3b9d214 fills in what grading now stores, from each attempt's credits and its
    version's tagged questions, so a cohort's learning gain reads the same before and after."""
    from lms.assessment.analytics import module_percents
    questions = [{"type": "single", "points": 1, "module": "m1"}, {"type": "single", "points": 3, "module": "m2"},
                 {"type": "single", "points": 2, "module": "m1"}, {"type": "single", "points": 1}]
    credits = {"0": 1.0, "1": 0.5, "2": 0.0, "3": 1.0}
    with scratch_database(dialect, tmp_path) as url:
        site = _site(url, tmp_path)
        with site.app_context():
            upgrade(revision="c4f2d8a1b6e3")
            when = dt.datetime(2026, 11, 1, 9)
            with db.engine.begin() as conn:
                _insert_world(conn, when)
                conn.execute(sa.text("UPDATE quiz_versions SET definition = :d WHERE id = 1"),
                             {"d": json.dumps({"questions": questions})})
                for aid, status, number in ((1, "graded", 1), (2, "open", 2)):
                    conn.execute(sa.text(
                        "INSERT INTO attempts (id, user_id, quiz_slug, quiz_version_id, kind, number, status,"
                        " layout, answers, credits, started_at, updated_at) VALUES"
                        " (:id, 1, 'kuis', 1, 'quiz', :n, :s, '{}', '{}', :c, :t, :t)"),
                        {"id": aid, "n": number, "s": status, "t": when, "c": json.dumps(credits)})
            upgrade()
            with db.engine.connect() as conn:
                rows = dict(conn.execute(sa.text("SELECT id, module_percents FROM attempts")).all())
            kept = {1: rows[1] if isinstance(rows[1], dict) else json.loads(rows[1]), 2: rows[2]}
            # m1: 1 of 3 points; m2: 1.5 of 3; the untagged question counts for no module.
            assert kept == {1: {"m1": pytest.approx(100 / 3), "m2": 50.0}, 2: None}
            assert kept[1] == module_percents(questions, credits)
            db.engine.dispose()


def _insert_world(conn, when) -> None:
    """The rows an attempt needs at revision 2778dc7a0ae9, with only the columns that exist then."""
    def insert(table, **values):
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns(table)}
        for name, column in columns.items():
            if name in values or column["nullable"] or column.get("default") is not None \
                    or column.get("autoincrement") is True:
                continue
            values[name] = when if isinstance(column["type"], sa.DateTime) else (
                True if isinstance(column["type"], sa.Boolean) else
                0 if isinstance(column["type"], sa.Integer) else
                "{}" if isinstance(column["type"], sa.JSON) else name)
        names = ", ".join(values)
        conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"),  # noqa: S608
                     values)
    insert("users", id=1, username="melati", role="trainee", display_name="Melati")
    insert("quizzes", id=1, slug="kuis")
    insert("quiz_versions", id=1, quiz_slug="kuis")
