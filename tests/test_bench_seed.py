"""The bench's data generator: realistic rows for a cohort coordinator, never the test database."""
import pytest
import sqlalchemy as sa

from bench import seed as bench_seed


def test_seed_fills_cohorts_the_demo_coordinator_sees(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_seed, "DATA_DIR", tmp_path)
    url = f"sqlite:///{tmp_path / 'seeded.sqlite3'}"
    result = bench_seed.seed(url, trainees=24, cohorts=3, quiet=True)
    counts = result["counts"]
    assert counts["users"] == 24 and counts["cohorts"] == 3
    assert counts["attempts"] > 24 and counts["module_progress"] > 0 and counts["attendance"] == 24 * 5
    assert counts["roleplay_runs"] > 0
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        org = conn.scalar(sa.text("SELECT organisation_id FROM users WHERE username = 'coordinator1'"))
        per_cohort = conn.execute(sa.text(
            "SELECT c.id, count(e.id) FROM cohorts c JOIN enrollments e ON e.cohort_id = c.id "
            "WHERE c.organisation_id = :org AND c.name LIKE 'Angkatan Bench %' GROUP BY c.id"), {"org": org}).all()
        assert sorted(n for _c, n in per_cohort) == [8, 8, 8]
        certified = conn.scalar(sa.text("SELECT count(*) FROM certificates"))
        assert certified == counts["certificates"]
        # Those certified did meet the rules: every required module read, an approved RTL.
        if certified:
            assert conn.scalar(sa.text(
                "SELECT count(*) FROM certificates c JOIN action_plans p ON p.user_id = c.user_id "
                "WHERE p.state = 'approved'")) == certified
    engine.dispose()
    _one_trainee_facts_match_the_cohorts(url)
    again = bench_seed.seed(url, trainees=5, cohorts=1, quiet=True)   # the database is replaced
    assert again["counts"]["users"] == 5


@pytest.mark.parametrize("url", ["postgresql+psycopg://postgres@127.0.0.1:5432/test",
                                 "postgresql://postgres@127.0.0.1/postgres"])
def test_seed_refuses_the_test_and_server_databases(url):
    with pytest.raises(SystemExit):
        bench_seed.refuse_test_database(url)


def _one_trainee_facts_match_the_cohorts(url):
    """A trainee's home reads only their own rows; the facts must be those the cohort page shows."""
    from lms.cohorts.models import Cohort
    from lms.extensions import db
    from lms.records.facts import cohort_facts
    with bench_seed.bench_app(url).app_context():
        for cohort in db.session.scalars(sa.select(Cohort).where(Cohort.name.like("Angkatan Bench %"))):
            everyone = cohort_facts(cohort)
            assert len(everyone.trainees) == 8
            varied = {(t.rtl, t.practice_signed, t.roleplays_taken) for t in everyone.trainees}
            assert len(varied) > 1
            for trainee in everyone.trainees:
                assert cohort_facts(cohort, [trainee.user]).trainees == [trainee]


@pytest.mark.parametrize("arguments, message", [(["--cohorts", "0"], "0 is below 1"),
                                                (["--trainees", "-3"], "-3 is below 0"),
                                                (["--trainees", "many"], "'many' is not a whole number")])
def test_seed_refuses_a_count_it_cannot_seed(arguments, message, capsys):
    with pytest.raises(SystemExit) as stop:
        bench_seed.main(arguments)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err
