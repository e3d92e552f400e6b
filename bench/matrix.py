"""Time the cohort completion matrix for 1,000 trainees by 25 modules.

Seeds a throwaway database (SQLite file, and PostgreSQL when BENCH_POSTGRES_URL or the
local 127.0.0.1:5432/bench answers; that database is created if missing and its schema is
dropped, so it must never be the test suite's), then times build_matrix() and the cohort page.
"""
from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

TRAINEES, MODULES, RUNS = 1000, 25, 5


def _seed(db, rng: random.Random):
    import datetime as dt

    from lms.accounts.models import Organisation, Role, User
    from lms.assessment.models import Attempt, Quiz, QuizVersion
    from lms.cohorts.models import Attendance, Cohort, Enrollment, TrainingSession
    from lms.learning.models import Module, ModuleProgress, Track
    from lms.practice.models import ActionPlan

    org = Organisation(name="Bench")
    db.session.add(org)
    db.session.add(Track(slug="t", title="T", source_path="x", content_hash="x"))
    db.session.flush()
    versions = []
    for m in range(MODULES):
        db.session.add(Module(slug=f"m{m}", title=f"Modul {m}", track_slug="t", order=m,
                              quiz_slug=f"q{m}", source_path="x", content_hash="x"))
        db.session.add(Quiz(slug=f"q{m}", title="Q", source_path="x", content_hash="x"))
        version = QuizVersion(quiz_slug=f"q{m}", content_hash="x", definition={"questions": []})
        db.session.add(version)
        versions.append(version)
    cohort = Cohort(organisation_id=org.id, name="Angkatan Bench", track_slug="t")
    db.session.add(cohort)
    db.session.flush()
    users = [User(username=f"u{i}", display_name=f"Peserta {i}", role=Role.TRAINEE,
                  organisation_id=org.id) for i in range(TRAINEES)]
    db.session.add_all(users)
    db.session.flush()
    sessions = [TrainingSession(cohort_id=cohort.id, held_on=dt.date(2026, 11, d + 1), topic="x")
                for d in range(4)]
    db.session.add_all(sessions)
    db.session.flush()
    rows = {"enrol": [], "progress": [], "attempts": [], "attendance": [], "plans": []}
    for user in users:
        rows["enrol"].append(Enrollment(cohort_id=cohort.id, user_id=user.id))
        done = rng.randint(0, MODULES)
        for m in range(done):
            rows["progress"].append(ModuleProgress(user_id=user.id, module_slug=f"m{m}"))
            rows["attempts"].append(Attempt(user_id=user.id, quiz_slug=f"q{m}", quiz_version_id=versions[m].id,
                                            kind="quiz", number=1, status="graded", layout={}, answers={},
                                            credits={}, score_percent=80.0, passed=rng.random() < .9))
        for s in sessions:
            rows["attendance"].append(Attendance(session_id=s.id, user_id=user.id,
                                                 status=rng.choice(["present", "present", "absent", "excused"])))
        if rng.random() < .5:
            rows["plans"].append(ActionPlan(cohort_id=cohort.id, user_id=user.id, state="submitted"))
    for batch in rows.values():
        db.session.add_all(batch)
    db.session.commit()
    return cohort.id, sum(len(b) for b in rows.values())


def run(url: str, label: str) -> list:
    from flask_migrate import upgrade

    from lms import create_app
    from lms.cohorts.models import Cohort
    from lms.extensions import db
    from lms.records.matrix import build_matrix

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "INSTANCE_PATH": tempfile.mkdtemp()})
    with app.app_context():
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        started = time.perf_counter()
        cohort_id, rows = _seed(db, random.Random(7))
        seeded = time.perf_counter() - started
        statements = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        timings = []
        for _ in range(RUNS):
            db.session.expire_all()
            statements.clear()
            t0 = time.perf_counter()
            matrix = build_matrix(db.session.get(Cohort, cohort_id))
            timings.append(time.perf_counter() - t0)
        queries = len(statements)
        complete = sum(1 for r in matrix.rows if r.modules_complete)
        page_times, size = _page(app, cohort_id)
    print(f"[{label}] matrix {TRAINEES} trainees x {MODULES} modules ({rows} seeded rows in {seeded:.1f} s)")
    print(f"[{label}]   build_matrix: median {statistics.median(timings) * 1000:.0f} ms, "
          f"min {min(timings) * 1000:.0f} ms, {queries} queries; {complete} trainees complete")
    print(f"[{label}]   cohort page (render + gzip): median {statistics.median(page_times) * 1000:.0f} ms, "
          f"{size / 1024:.0f} KB gzipped")
    from bench.figures import Figure
    page_ms = statistics.median(page_times) * 1000
    return [Figure(f"cohort page of {TRAINEES:,} trainees x {MODULES} modules (render + gzip)", label,
                   f"{page_ms:.0f} ms, {size / 1024:.0f} KB", "< 100 ms", page_ms < 100),
            Figure(f"build_matrix for {TRAINEES:,} trainees", label,
                   f"{statistics.median(timings) * 1000:.0f} ms, {queries} queries")]


def _page(app, cohort_id):
    from lms.accounts.models import Role, User
    from lms.accounts.passwords import hash_password
    from lms.extensions import db
    admin = User(username="bench-admin", display_name="Admin", role=Role.ADMIN,
                 password_hash=hash_password("bench-password"))
    db.session.add(admin)
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "bench-admin", "password": "bench-password"})
    times, size = [], 0
    for _ in range(3):
        t0 = time.perf_counter()
        response = client.get(f"/cohorts/{cohort_id}", headers={"Accept-Encoding": "gzip"})
        times.append(time.perf_counter() - t0)
        size = len(response.get_data())
    return times, size


def postgres_url() -> str | None:
    from bench.seed import ensure_database, refuse_test_database
    url = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")
    refuse_test_database(url)
    try:
        ensure_database(url)
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return url
    except sa.exc.OperationalError:
        return None


def main() -> list:
    tmp = Path(tempfile.mkdtemp())
    figures = run(f"sqlite:///{tmp / 'bench.sqlite3'}", "sqlite")
    url = postgres_url()
    if url:
        figures += run(url, "postgresql")
    else:
        print("[postgresql] skipped: no server at BENCH_POSTGRES_URL or 127.0.0.1:5432")
    return figures
