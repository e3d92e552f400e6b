"""`python -m bench seed --trainees N --cohorts M`: a realistic database to load-test.

Fills the database of BENCH_DATABASE_URL (default bench/.data/bench.sqlite3; its contents are
replaced) with the schema (migrations), the shipped curriculum (content sync), the demo accounts
and N trainees spread over M cohorts of the demo organisation, so `coordinator1` and
`facilitator1` see them all. Each trainee has read a random share of the track, with graded
quiz and case attempts for what was read, the pre-test (and the post-test once every module is
done), attendance at five sessions, an RTL, field practice, a place in a cohort's role-play
runs, and those who meet every rule hold a certificate. Rows go in as bulk inserts.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from pathlib import Path

import sqlalchemy as sa

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / ".data"
PASSWORD = "paralegal-demo"   # the demo accounts' password; bench trainees share it
SESSIONS = 5


def database_url() -> str:
    from lms.config import normalise_database_url
    return normalise_database_url(
        os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'bench.sqlite3'}")


def refuse_test_database(url: str) -> None:
    """The bench drops what it finds: never let it near the test suite's database."""
    parsed = sa.engine.make_url(url)
    test_url = os.environ.get("TEST_DATABASE_URL")
    if parsed.get_backend_name() == "postgresql" and parsed.database in ("test", "postgres"):
        raise SystemExit(f"refusing to seed database {parsed.database!r}: use a dedicated one (e.g. bench)")
    if test_url and sa.engine.make_url(test_url).database == parsed.database \
            and parsed.get_backend_name() != "sqlite":
        raise SystemExit("refusing to seed TEST_DATABASE_URL's database")


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database if it is missing (the server's `postgres` database is
    only used to ask); make the SQLite file's folder."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def bench_app(url: str):
    from lms import create_app
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key",
                       "INSTANCE_PATH": str(DATA_DIR / "instance")})


def _reset(url: str) -> None:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def _insert(db, model, rows: list[dict]) -> None:
    """Executemany in chunks: one round trip per few thousand rows."""
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(model), rows[start:start + 5000])


def seed(url: str, trainees: int = 1000, cohorts: int = 40, seed_value: int = 7, quiet: bool = False) -> dict:
    """Replace the database at url with the curriculum, the demo and the bench trainees."""
    from flask_migrate import upgrade

    from lms.accounts.models import Role, User
    from lms.accounts.passwords import hash_password
    from lms.assessment.analytics import module_percents
    from lms.assessment.attempts import make_layout
    from lms.assessment.models import Attempt, AttemptStatus, Quiz, QuizVersion
    from lms.certification.service import issue_all_eligible
    from lms.cohorts.models import Attendance, Cohort, CohortFacilitator, Enrollment, TrainingSession
    from lms.cohorts.requirements import cohort_required_modules
    from lms.config import REPO_ROOT
    from lms.content.loader import load_curriculum
    from lms.content.sync import sync_curriculum
    from lms.core.transaction import committing
    from lms.demo import DEMO_COHORT, DEMO_TRACK, create_demo_data
    from lms.extensions import db
    from lms.learning.models import ModuleProgress, Track
    from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
    from lms.roleplays.authoring import ensure_version
    from lms.roleplays.models import RolePlay
    from lms.roleplays.runs import RANDOM, end_run, go_live, start_run

    refuse_test_database(url)
    ensure_database(url)
    _reset(url)
    rng = random.Random(seed_value)  # noqa: S311 - made-up data
    timings = {}
    app = bench_app(url)
    with app.app_context():
        t0 = time.perf_counter()
        upgrade()
        timings["schema"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with committing():
            sync_curriculum(load_curriculum(REPO_ROOT))
        timings["content sync"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with committing():
            create_demo_data(PASSWORD)
        timings["demo"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        with committing():
            demo_cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == DEMO_COHORT))
            org_id = demo_cohort.organisation_id
            facilitator_id = db.session.scalar(sa.select(User.id).where(User.username == "facilitator1"))
            track = db.session.scalar(sa.select(Track).where(Track.slug == DEMO_TRACK))
            modules = cohort_required_modules(demo_cohort)
            quizzes = {q.slug: q for q in db.session.scalars(sa.select(Quiz))}
            versions = {v.quiz_slug: v for v in db.session.scalars(sa.select(QuizVersion))
                        if v.content_hash == quizzes[v.quiz_slug].content_hash}
            layouts = {slug: make_layout(v.definition, 1) for slug, v in versions.items()}

            cohort_rows = [{"organisation_id": org_id, "name": f"Angkatan Bench {c + 1}", "track_slug": DEMO_TRACK,
                            "starts_on": dt.date(2026, 9, 7), "ends_on": dt.date(2026, 11, 30)}
                           for c in range(cohorts)]
            _insert(db, Cohort, cohort_rows)
            cohort_ids = list(db.session.scalars(sa.select(Cohort.id).where(Cohort.name.like("Angkatan Bench %"))
                                                 .order_by(Cohort.id)))
            _insert(db, CohortFacilitator, [{"cohort_id": c, "user_id": facilitator_id} for c in cohort_ids])
            _insert(db, TrainingSession, [
                {"cohort_id": c, "held_on": dt.date(2026, 9, 7) + dt.timedelta(weeks=s),
                 "topic": f"Pertemuan {s + 1}", "module_slugs": []}
                for c in cohort_ids for s in range(SESSIONS)])
            sessions: dict[int, list[int]] = {c: [] for c in cohort_ids}
            for session_id, cohort_id in db.session.execute(
                    sa.select(TrainingSession.id, TrainingSession.cohort_id).order_by(TrainingSession.id)):
                if cohort_id in sessions:
                    sessions[cohort_id].append(session_id)

            password_hash = hash_password(PASSWORD)   # one hash shared: Argon2 per row would take minutes
            _insert(db, User, [{"username": f"peserta{i:05d}", "display_name": f"Peserta {i}",
                                "role": Role.TRAINEE, "organisation_id": org_id, "password_hash": password_hash}
                               for i in range(1, trainees + 1)])
            user_ids = list(db.session.scalars(sa.select(User.id).where(User.username.like("peserta%"))
                                               .order_by(User.id)))
            cohort_of = {u: cohort_ids[i % len(cohort_ids)] for i, u in enumerate(user_ids)}
            _insert(db, Enrollment, [{"cohort_id": c, "user_id": u} for u, c in cohort_of.items()])

            rows: dict[type, list[dict]] = {ModuleProgress: [], Attempt: [], Attendance: [], ActionPlan: [],
                                            PracticeEntry: []}
            now = dt.datetime(2026, 11, 20, 10, 0)

            def graded(user_id: int, slug: str, share: float) -> None:
                quiz, version = quizzes.get(slug), versions.get(slug)
                if quiz is None or version is None:
                    return
                count = len(version.definition["questions"])
                right = round(share * count)
                percent = 100.0 * right / count if count else 100.0
                credits = {str(i): 1.0 if i < right else 0.0 for i in range(count)}
                rows[Attempt].append({
                    "user_id": user_id, "quiz_slug": slug, "quiz_version_id": version.id, "kind": quiz.kind,
                    "number": 1, "status": AttemptStatus.GRADED, "layout": layouts[slug], "answers": {},
                    "credits": credits, "module_percents": module_percents(version.definition["questions"], credits),
                    "score_points": float(right), "max_points": float(count), "score_percent": percent,
                    "passed": percent >= (quiz.pass_mark or 0), "submitted_at": now, "graded_at": now})

            for user_id, cohort_id in cohort_of.items():
                # A quarter finish the track; the others stop somewhere along it.
                read = len(modules) if rng.random() < .25 else rng.randint(0, len(modules) - 1)
                if track.pretest_slug:
                    graded(user_id, track.pretest_slug, rng.uniform(.2, .6))
                for module in modules[:read]:
                    rows[ModuleProgress].append({"user_id": user_id, "module_slug": module.slug})
                    for slug in ([module.quiz_slug] if module.quiz_slug else []) + list(module.case_slugs or []):
                        graded(user_id, slug, rng.choice([1.0, .9, .8] if read == len(modules) else [1.0, .8, .5]))
                if read == len(modules) and track.posttest_slug:
                    graded(user_id, track.posttest_slug, rng.uniform(.7, 1.0))
                present = SESSIONS if read == len(modules) else rng.randint(1, SESSIONS)
                rows[Attendance].extend({"session_id": s, "user_id": user_id,
                                         "status": "present" if i < present else rng.choice(["absent", "excused"])}
                                        for i, s in enumerate(sessions[cohort_id]))
                if read == len(modules) or rng.random() < .6:
                    rows[ActionPlan].append({
                        "cohort_id": cohort_id, "user_id": user_id, "submitted_at": now,
                        "state": ReviewState.APPROVED if read == len(modules) else
                        rng.choice([ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED]),
                        "activities": "Sosialisasi hak korban di posyandu desa, dua kali sebulan.",
                        "target": "60 warga desa", "timeline": "Januari-Juni", "support_needed": "Leaflet"})
                entries = 3 if read == len(modules) else rng.randint(0, 3)
                rows[PracticeEntry].extend({
                    "cohort_id": cohort_id, "user_id": user_id, "done_on": dt.date(2026, 11, 2 + i),
                    "kind": "hotline", "description": "Piket hotline malam.",
                    "signed_off_at": now if i < entries - 1 or read == len(modules) else None,
                    "signed_off_by": facilitator_id if i < entries - 1 or read == len(modules) else None}
                    for i in range(entries))
            for model, batch in rows.items():
                _insert(db, model, batch)
        timings["bulk rows"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        with committing():
            roleplays = list(db.session.scalars(sa.select(RolePlay).where(
                RolePlay.retired_at.is_(None), RolePlay.organisation_id.is_(None)).order_by(RolePlay.slug).limit(2)))
            by_cohort: dict[int, list[int]] = {}
            for user_id, cohort_id in cohort_of.items():
                by_cohort.setdefault(cohort_id, []).append(user_id)
            runs = 0
            for cohort in db.session.scalars(sa.select(Cohort).where(Cohort.id.in_(cohort_ids))):
                for roleplay in roleplays:
                    members = by_cohort.get(cohort.id, [])
                    if members:
                        run = start_run(cohort, ensure_version(roleplay, facilitator_id), members,
                                        size=4, method=RANDOM, rng=rng, created_by=facilitator_id)
                        go_live(run)
                        end_run(run)
                        runs += 1
        timings["role-play runs"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        certificates = 0
        with committing():
            for cohort in db.session.scalars(sa.select(Cohort).where(Cohort.id.in_(cohort_ids))):
                certificates += len(issue_all_eligible(cohort, facilitator_id))
        timings["certificates"] = time.perf_counter() - t0
        # Planner statistics, as a database in use has them (autovacuum gathers them within a
        # minute or so; a bench starting at once would otherwise plan blind). SQLite's planner
        # needs none. Committed: a rolled-back ANALYZE keeps nothing.
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))
        counts = {model.__tablename__: len(batch) for model, batch in rows.items()}
        counts.update(users=len(user_ids), cohorts=len(cohort_ids), roleplay_runs=runs, certificates=certificates)
    if not quiet:
        print(f"seeded {sa.engine.make_url(url).render_as_string(hide_password=True)}: "
              + ", ".join(f"{v} {k}" for k, v in counts.items()))
        print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    return {"counts": counts, "timings": timings}


def _at_least(lowest: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"{value} is below {lowest}")
        return value
    return parse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench seed", description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=_at_least(0), default=1000)
    parser.add_argument("--cohorts", type=_at_least(1), default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    seed(database_url(), args.trainees, args.cohorts, args.seed)
