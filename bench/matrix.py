"""Time the cohort page for 1,000 trainees by 25 modules, and one of 10,000.

Seeds a throwaway database (SQLite file, and PostgreSQL when BENCH_POSTGRES_URL or the
local 127.0.0.1:5432/bench answers; that database is created if missing and its schema is
dropped, so it must never be the test suite's), then times build_matrix() (every trainee's
facts: the CSV and print view), the summary, one page of the grid and the whole page. The
10,000-trainee cohort (the issue's scale run) shows that a page of the grid costs the same.
"""
from __future__ import annotations

import gc
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

TRAINEES, MODULES, RUNS = 1000, 25, 5
CHANGED = 100   # of every 1,000 trainees, between two looks at the summary
SUMMARY_RUNS = 15   # a few ms each: more runs, for a median that holds from one run to the next
SCALE = 10_000
# The track's pre- and post-test, as the shipped ones are: 20-32 questions, each tagged with a
# module, so the summary computes the group's learning gain, as a real track's does.
TEST_QUESTIONS = 30


def _seed(db, rng: random.Random, trainees: int = TRAINEES):
    import datetime as dt

    from lms.accounts.models import Organisation, Role, User
    from lms.assessment.analytics import module_percents
    from lms.assessment.models import Attempt, Quiz, QuizVersion
    from lms.cohorts.models import Attendance, Cohort, Enrollment, TrainingSession
    from lms.learning.models import Module, ModuleProgress, Track
    from lms.practice.models import ActionPlan

    org = Organisation(name="Bench")
    db.session.add(org)
    db.session.add(Track(slug="t", title="T", source_path="x", content_hash="x",
                         pretest_slug="pre", posttest_slug="post"))
    db.session.flush()
    questions = [{"type": "single", "points": 1, "module": f"m{i % MODULES}"} for i in range(TEST_QUESTIONS)]
    tests = {}
    for slug in ("pre", "post"):
        db.session.add(Quiz(slug=slug, title=slug, kind=f"{slug}test", source_path="x", content_hash="x"))
        tests[slug] = QuizVersion(quiz_slug=slug, content_hash=slug, definition={"questions": questions})
        db.session.add(tests[slug])
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
                  organisation_id=org.id) for i in range(trainees)]
    db.session.add_all(users)
    db.session.flush()
    sessions = [TrainingSession(cohort_id=cohort.id, held_on=dt.date(2026, 11, d + 1), topic="x")
                for d in range(4)]
    db.session.add_all(sessions)
    db.session.flush()
    rows = {Enrollment: [], ModuleProgress: [], Attempt: [], Attendance: [], ActionPlan: []}
    now = dt.datetime(2026, 11, 1)
    for user in users:
        rows[Enrollment].append({"cohort_id": cohort.id, "user_id": user.id, "enrolled_at": now})
        done = rng.randint(0, MODULES)
        for m in range(done):
            rows[ModuleProgress].append({"user_id": user.id, "module_slug": f"m{m}", "read_at": now})
            rows[Attempt].append({"user_id": user.id, "quiz_slug": f"q{m}", "quiz_version_id": versions[m].id,
                                  "kind": "quiz", "number": 1, "status": "graded", "layout": {}, "answers": {},
                                  "credits": {}, "score_percent": 80.0, "passed": rng.random() < .9,
                                  "started_at": now, "updated_at": now})
        # Everyone takes the pre-test; those who read every module most often the post-test too.
        for slug, share in (("pre", rng.uniform(.2, .6)), ("post", rng.uniform(.5, .95))):
            if slug == "post" and rng.random() > (.9 if done == MODULES else .6):
                break
            credits = {str(i): float(rng.random() < share) for i in range(TEST_QUESTIONS)}
            rows[Attempt].append({"user_id": user.id, "quiz_slug": slug, "quiz_version_id": tests[slug].id,
                                  "kind": f"{slug}test", "number": 1, "status": "graded", "layout": {},
                                  "answers": {}, "credits": credits,
                                  "module_percents": module_percents(questions, credits),
                                  "score_percent": 100.0 * sum(credits.values()) / TEST_QUESTIONS,
                                  "passed": True, "started_at": now, "updated_at": now})
        for s in sessions:
            rows[Attendance].append({"session_id": s.id, "user_id": user.id, "recorded_at": now,
                                     "status": rng.choice(["present", "present", "absent", "excused"])})
        if rng.random() < .5:
            rows[ActionPlan].append({"cohort_id": cohort.id, "user_id": user.id, "state": "submitted"})
    for model, batch in rows.items():   # bulk INSERTs: the 10,000-trainee cohort seeds in seconds
        if batch:
            db.session.execute(sa.insert(model), batch)
    db.session.commit()
    return cohort.id, sum(len(b) for b in rows.values())


def _median_ms(fn, runs: int, before=None) -> tuple[float, object]:
    from lms.extensions import db
    times, result = [], None
    for _ in range(runs):
        if before is not None:
            before()
        # Each run starts as a request does, from an empty session: the objects an earlier
        # run loaded (a whole matrix: thousands) would otherwise be refreshed, and collected.
        db.session.remove()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, result


def run(url: str, label: str, trainees: int = TRAINEES, whole_matrix: bool = True) -> dict:
    from flask_migrate import upgrade

    from lms import create_app
    from lms.cohorts.models import Cohort, Enrollment
    from lms.core.page_stamps import changed as changed_stamps
    from lms.extensions import db
    from lms.records.cohort_page import GridQuery, cohort_summary, grid_of
    from lms.records.matrix import build_matrix
    from lms.records.results_memo import MEMO

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "INSTANCE_PATH": tempfile.mkdtemp()})
    tag = f"[{label} {trainees}]"
    with app.app_context():
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        started = time.perf_counter()
        cohort_id, rows = _seed(db, random.Random(7), trainees)
        if db.engine.dialect.name == "postgresql":
            # The statistics autovacuum would gather by itself. Committed: ANALYZE inside a
            # transaction that is rolled back (a bare connect()) leaves no statistics at all.
            with db.engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))
        seeded = time.perf_counter() - started
        # Measured as a server that starts on the loaded database: new connections, and none
        # of the seeding's objects left for the collector to walk.
        db.session.remove()
        db.engine.dispose()
        gc.collect()
        # As deploy/gunicorn.conf.py's pre_fork does: what was loaded before the first request
        # leaves the collector's view, so a collection during a timing walks the request's
        # objects, not the whole process (here also the seeding's).
        gc.freeze()
        print(f"{tag} cohort of {trainees} trainees x {MODULES} modules ({rows} seeded rows in {seeded:.1f} s)")
        statements = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))

        def counted(fn, runs=RUNS, before=None):
            statements.clear()
            ms, result = _median_ms(fn, runs, before)
            return ms, len(statements) // runs, result
        figures = {}
        if whole_matrix:
            ms, queries, matrix = counted(lambda: build_matrix(db.session.get(Cohort, cohort_id)))
            complete = sum(1 for r in matrix.rows if r.modules_complete)
            print(f"{tag}   build_matrix (every trainee's facts: CSV, print view): median {ms:.0f} ms, "
                  f"{queries} queries; {complete} trainees complete")
            del matrix   # a worker keeps nothing of an earlier request for its collector to walk
            gc.collect()

        def inputs():   # what the page reads first, each run, as a request does
            return _page_inputs(cohort_id)
        with app.test_request_context():   # the summary's parts read the signed-in person
            from flask_login import login_user
            login_user(_admin(db))
            # Each trainee's results are remembered under their stamps (lms.records.results_memo):
            # a coordinator's next look works out again only those who changed since the last.
            # Timed three ways: afresh (after a site-wide change, or a server's first look),
            # with CHANGED of every 1,000 trainees changed since the last look (a post-test hour,
            # looked at each minute: the figure judged), and with nothing changed.
            ms, queries, summary = counted(lambda: cohort_summary(*inputs()), runs=SUMMARY_RUNS, before=MEMO.clear)
            figures["summary afresh"] = ms
            print(f"{tag}   summary afresh (with the cohort and its modules read first): median {ms:.1f} ms, "
                  f"{queries} queries; {summary.complete} complete, {', '.join(p.value for p in summary.parts)}; "
                  f"learning gain over {summary.gain.people if summary.gain else 0} who took both tests")
            changed = max(1, trainees * CHANGED // 1000)
            people = list(db.session.scalars(sa.select(Enrollment.user_id).where(Enrollment.cohort_id == cohort_id)))
            rng = random.Random(11)

            def change_some():   # new stamps, as their answers or reading give them in other requests
                with sa.orm.Session(db.engine) as other:
                    changed_stamps(other, set(rng.sample(people, changed)), False)
                    other.commit()
            ms, queries, again = counted(lambda: cohort_summary(*inputs()), runs=SUMMARY_RUNS, before=change_some)
            assert (again.trainees, again.complete) == (summary.trainees, summary.complete)
            figures["summary"] = ms
            print(f"{tag}   summary with {changed} trainees changed since the last look: median {ms:.1f} ms, "
                  f"{queries} queries")
            ms, queries, _again = counted(lambda: cohort_summary(*inputs()), runs=SUMMARY_RUNS)
            figures["summary unchanged"] = ms
            print(f"{tag}   summary with nothing changed since the last look: median {ms:.1f} ms, {queries} queries")
            for name, query in (("page of the grid", GridQuery(page=3)),
                                ("filtered grid (stuck at module 4)", GridQuery(stuck="m3"))):
                def grid(q=query):   # as the page asks: the cohort's size is the summary's
                    cohort, modules, track = inputs()
                    return grid_of(cohort, modules, q, track=track, trainees=summary.trainees)
                ms, queries, _grid = counted(grid)
                figures[name] = ms
                print(f"{tag}   {name}: median {ms:.1f} ms, {queries} queries")
        page_times, size, queries = _page(app, cohort_id)
        figures["page"], figures["size"] = statistics.median(page_times) * 1000, size
        print(f"{tag}   cohort page (summary + a page of the grid, render + gzip): median "
              f"{figures['page']:.0f} ms, {queries} queries, {size / 1024:.0f} KB gzipped")
    return figures


def _admin(db):
    from lms.accounts.models import Role, User
    from lms.accounts.passwords import hash_password
    admin = db.session.scalar(sa.select(User).where(User.username == "bench-admin"))
    if admin is None:
        admin = User(username="bench-admin", display_name="Admin", role=Role.ADMIN,
                     password_hash=hash_password("bench-password"))
        db.session.add(admin)
        db.session.commit()
    return admin


def _page(app, cohort_id):
    from lms.extensions import db
    _admin(db)
    client = app.test_client()
    client.post("/login", data={"username": "bench-admin", "password": "bench-password"})
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
    times, size = [], 0
    for _ in range(RUNS):
        statements.clear()
        t0 = time.perf_counter()
        response = client.get(f"/cohorts/{cohort_id}", headers={"Accept-Encoding": "gzip"})
        times.append(time.perf_counter() - t0)
        size = len(response.get_data())
    return times, size, len(statements)


def _compare(label: str, small: dict, large: dict) -> None:
    print(f"[{label}] {TRAINEES} -> {SCALE} trainees: page of the grid {small['page of the grid']:.1f} -> "
          f"{large['page of the grid']:.1f} ms, summary {small['summary']:.1f} -> {large['summary']:.1f} ms, "
          f"whole page {small['page']:.0f} -> {large['page']:.0f} ms")


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


def figures_of(label: str, small: dict, large: dict | None) -> list:
    """The rows of the table `python -m bench` ends with."""
    from bench.figures import Figure
    rows = [Figure(f"cohort page of {TRAINEES:,} trainees x {MODULES} modules (summary + a page of the grid)",
                   label, f"{small['page']:.0f} ms, {small['size'] / 1024:.0f} KB", "< 100 ms", small["page"] < 100),
            Figure(f"cohort summary of {TRAINEES:,} trainees, {CHANGED} changed since the last look", label,
                   f"{small['summary']:.0f} ms", "< 25 ms", small["summary"] < 25),
            Figure(f"cohort summary of {TRAINEES:,} trainees: afresh / nothing changed", label,
                   f"{small['summary afresh']:.0f} / {small['summary unchanged']:.0f} ms")]
    if large is not None:
        ratio = large["page of the grid"] / small["page of the grid"]
        rows.append(Figure(f"a page of the grid at {SCALE:,} vs {TRAINEES:,} trainees", label,
                           f"{large['page of the grid']:.0f} vs {small['page of the grid']:.0f} ms = {ratio:.2f}x",
                           "the same (<= 1.2x)", ratio <= 1.2))
    return rows


def _page_inputs(cohort_id: int):
    """What the cohort page reads before its summary and grid: the cohort, its required
    modules and its track (3 queries)."""
    from lms.cohorts.models import Cohort
    from lms.cohorts.requirements import cohort_required_modules
    from lms.extensions import db
    from lms.records.facts import track_of
    cohort = db.session.get(Cohort, cohort_id)
    return cohort, cohort_required_modules(cohort), track_of(cohort)


def interleaved_grid(urls: list[str], rounds: int = 15) -> list[float]:
    """A page of the grid timed in turns on each seeded database, the median of each: on a
    shared machine two figures taken a minute apart differ by more than the 1.2x asked of
    their ratio, so the 1,000 and 10,000 pages are measured side by side, as the load is."""
    from lms import create_app
    from lms.cohorts.models import Cohort, Enrollment
    from lms.extensions import db
    from lms.records.cohort_page import GridQuery, grid_of
    apps = [create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                        "INSTANCE_PATH": tempfile.mkdtemp()}) for url in urls]
    sizes = []
    for app in apps:
        with app.app_context():
            cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == "Angkatan Bench"))
            sizes.append((cohort.id, db.session.scalar(sa.select(sa.func.count()).where(Enrollment.cohort_id == cohort.id))))
    times: list[list[float]] = [[] for _ in apps]
    for _ in range(rounds):
        for app, (cohort_id, trainees), out in zip(apps, sizes, times, strict=True):
            with app.app_context():
                db.session.remove()
                started = time.perf_counter()
                cohort, modules, track = _page_inputs(cohort_id)
                grid_of(cohort, modules, GridQuery(page=3), track=track, trainees=trainees)
                out.append(time.perf_counter() - started)
    return [statistics.median(t) * 1000 for t in times]


def main() -> list:
    tmp = Path(tempfile.mkdtemp())
    urls = [f"sqlite:///{tmp / 'bench.sqlite3'}", f"sqlite:///{tmp / 'scale.sqlite3'}"]
    small = run(urls[0], "sqlite")
    large = run(urls[1], "sqlite", SCALE, whole_matrix=False)
    small["page of the grid"], large["page of the grid"] = interleaved_grid(urls)
    print(f"[sqlite] a page of the grid, timed in turns: {small['page of the grid']:.1f} ms at {TRAINEES:,}, "
          f"{large['page of the grid']:.1f} ms at {SCALE:,}")
    _compare("sqlite", small, large)
    figures = figures_of("sqlite", small, large)
    url = postgres_url()
    if url:
        small = run(url, "postgresql")
        large = None
        # Seeding 300,000 rows into PostgreSQL takes a minute: the scale run there is asked for.
        if os.environ.get("BENCH_MATRIX_SCALE_POSTGRES") == "1":
            large = run(url, "postgresql", SCALE, whole_matrix=False)
            _compare("postgresql", small, large)
        figures += figures_of("postgresql", small, large)
    else:
        print("[postgresql] skipped: no server at BENCH_POSTGRES_URL or 127.0.0.1:5432")
    return figures
