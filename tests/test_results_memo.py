"""Each trainee's results are remembered under their stamps (lms.records.results_memo): a
cohort's summary works out again exactly the trainees whose rows changed, and still equals
the summary of every trainee's facts after each kind of change."""
import random

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.accounts.models import User
from lms.assessment.analytics import gain_report
from lms.assessment.models import Attempt
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.learning.models import ModuleProgress
from lms.records import facts as facts_module
from lms.records import results_memo
from lms.records.cohort_page import cohort_summary, summarise
from lms.records.facts import StaleResults, cohort_facts, count_cohort
from lms.records.results_memo import Known, Results, ResultsMemo, compact_pair, gain_of
from tests.helpers import count_queries
from tests.test_cohort_summary_sql import varied_cohort


@pytest.fixture
def worked_out(app, monkeypatch):
    """The trainees each summary worked results out for: a list of ids, or "all"."""
    calls = []
    real = facts_module._results

    def spy(cohort, modules, track, shape, user_ids, whole):
        calls.append("all" if whole else sorted(user_ids))
        return real(cohort, modules, track, shape, user_ids, whole)
    monkeypatch.setattr(facts_module, "_results", spy)
    # The suite's check works every remembered result out again: these tests count the real work.
    monkeypatch.setitem(app.config, "LMS_PAGE_CACHE_CHECK", False)
    return calls


@pytest.fixture
def cohort(app):
    results_memo.MEMO.clear()
    with app.app_context():
        cohort = db.session.get(Cohort, varied_cohort(30, seed=7))
        # The site's stamp row exists once anything site-wide has changed since the tables were made.
        cohort.name = "Angkatan Memo"
        db.session.commit()
        yield cohort
    results_memo.MEMO.clear()


def _agrees(cohort):
    """The summary equals the one worked out from every trainee's facts."""
    db.session.expire_all()
    facts = cohort_facts(cohort)
    counted, python = cohort_summary(cohort, facts.modules, facts.track), summarise(facts)
    assert (counted.trainees, counted.complete, counted.not_activated, counted.awaiting_review) == \
        (python.trainees, python.complete, python.not_activated, python.awaiting_review)
    assert [(s.module.slug, s.count) for s in counted.stuck] == [(s.module.slug, s.count) for s in python.stuck]
    assert [(m.slug, n) for m, n in counted.completed] == [(m.slug, n) for m, n in python.completed]
    assert [(p.label, p.value) for p in counted.parts] == [(p.label, p.value) for p in python.parts]
    assert counted.gain == python.gain
    return counted


def _trainees(cohort):
    return [t.user for t in cohort_facts(cohort).trainees]


def test_a_summary_asked_again_works_nobody_out_and_reads_one_statement(app, cohort, worked_out):
    first = _agrees(cohort)
    assert worked_out == ["all"]
    facts = cohort_facts(cohort)
    with count_queries(app, drop_kept_pages=False) as statements:
        again = count_cohort(cohort, facts.modules, facts.track)
    assert worked_out == ["all"]
    assert len(statements) == 1 and "page_stamp" in statements[0]
    assert sum(t.count for t in again.tally) == first.trainees == 30


def test_each_kind_of_change_to_a_trainee_works_out_that_trainee_alone(app, cohort, worked_out):
    _agrees(cohort)
    people = _trainees(cohort)
    reader, tester, removed = people[3], people[11], people[20]
    # Reading a module not read yet.
    read = {p.module_slug for p in db.session.scalars(sa.select(ModuleProgress).where(
        ModuleProgress.user_id == reader.id))}
    unread = next(m.slug for m in cohort_facts(cohort).modules if m.slug not in read)
    db.session.add(ModuleProgress(user_id=reader.id, module_slug=unread))
    db.session.commit()
    _agrees(cohort)
    # An attempt graded (an essay reviewed) and a post-test rescored.
    for attempt in db.session.scalars(sa.select(Attempt).where(Attempt.user_id == tester.id)):
        attempt.status, attempt.passed = "graded", True
        if attempt.quiz_slug == "post":
            attempt.score_percent = 12.5
    db.session.commit()
    _agrees(cohort)
    # An attempt deleted (erasing a person's data deletes their attempts).
    for attempt in db.session.scalars(sa.select(Attempt).where(Attempt.user_id == removed.id)):
        db.session.delete(attempt)
    db.session.commit()
    _agrees(cohort)
    assert worked_out == ["all", [reader.id], [tester.id], [removed.id]]


def test_a_site_wide_change_works_every_trainee_out_again(app, cohort, worked_out):
    _agrees(cohort)
    cohort.name = "Angkatan Baru"   # nothing of the results, but anyone's page may show it
    db.session.commit()
    _agrees(cohort)
    assert worked_out == ["all", "all"]


def test_many_changed_trainees_are_worked_out_with_the_whole_cohort(app, cohort, worked_out):
    _agrees(cohort)
    people = _trainees(cohort)
    for person in people[:10]:   # a third of the cohort: cheaper read whole than by id
        db.session.add(Attempt(user_id=person.id, quiz_slug="q3", quiz_version_id=1, kind="quiz", number=50,
                               status="graded", layout={}, answers={}, credits={}, passed=False))
    db.session.commit()
    _agrees(cohort)
    assert worked_out == ["all", "all"]


def test_a_write_around_the_stamps_is_caught_by_the_suites_check(app, cohort):
    _agrees(cohort)
    posted = db.session.scalar(sa.select(Attempt.user_id).where(Attempt.quiz_slug == "post",
                                                              Attempt.status == "graded"))
    # Raw SQL through the session changes no stamp (docs/deployment.md: stop the servers first).
    db.session.execute(sa.text("UPDATE attempts SET score_percent = 3.0 WHERE user_id = :u AND quiz_slug = 'post'"),
                       {"u": posted})
    db.session.commit()
    facts = cohort_facts(cohort)
    with pytest.raises(StaleResults):
        cohort_summary(cohort, facts.modules, facts.track)


def test_a_trainee_enrolled_or_activated_later_is_counted(app, cohort, worked_out):
    from lms.cohorts.models import Enrollment
    from tests.factories import make_person
    _agrees(cohort)
    newcomer = make_person("pendatang-baru", org=None)
    db.session.add(Enrollment(cohort_id=cohort.id, user_id=newcomer.id))
    db.session.commit()
    assert _agrees(cohort).trainees == 31
    inactive = db.session.scalar(sa.select(User).where(User.password_hash.is_(None),
                                                       User.id.in_([u.id for u in _trainees(cohort)])))
    inactive.password_hash = newcomer.password_hash
    db.session.commit()
    _agrees(cohort)


def _known(n: int) -> Known:
    return Known(n, n, Results(n, False, None, None, (0, None, 0, 0, "none", 0, 0)))


def test_the_memo_forgets_the_shapes_counted_longest_ago_past_its_limit():
    memo = ResultsMemo(limit=10)
    memo.keep("a", {i: _known(i) for i in range(4)})
    memo.keep("b", {i: _known(i) for i in range(4)})
    assert memo.of("a")[3] == _known(3)   # "a" is now the one counted last
    memo.keep("c", {i: _known(i) for i in range(4)})
    assert memo.of("b") == {} and len(memo.of("a")) == len(memo.of("c")) == 4
    memo.keep("huge", {i: _known(i) for i in range(11)})   # larger than the limit: never kept
    assert memo.of("huge") == {} and len(memo.of("c")) == 4


percents = st.dictionaries(st.sampled_from(["m0", "m1", "m2", "m3"]),
                           st.floats(0, 100, allow_nan=False), max_size=4)
pairs = st.lists(st.tuples(st.floats(0, 100), percents, st.floats(0, 100), percents), max_size=30)


@settings(max_examples=200, deadline=None)
@given(pairs)
def test_the_gain_of_compact_pairs_is_the_gain_report_exactly(given_pairs):
    random.Random(0).shuffle(given_pairs)
    assert gain_of([compact_pair(p) for p in given_pairs]) == gain_report(given_pairs)


def test_with_page_caching_off_every_look_works_every_trainee_out(app, cohort, worked_out, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_PAGE_CACHE", False)
    _agrees(cohort)
    _agrees(cohort)
    assert worked_out == ["all", "all"]


def test_tests_graded_before_percents_were_stored_count_in_the_gain_alike(app, cohort, worked_out):
    from lms.assessment.analytics import module_percents
    from lms.assessment.models import QuizVersion
    from lms.assessment.versions import forget_definitions
    questions = [{"type": "single", "points": p, "module": m} for p, m in ((1, "m0"), (2, "m0"), (1, "m1"), (3, None))]
    for version in db.session.scalars(sa.select(QuizVersion).where(QuizVersion.quiz_slug.in_(["pre", "post"]))):
        version.definition = {"questions": questions}
    rng = random.Random(4)
    tests = db.session.scalars(sa.select(Attempt).where(Attempt.quiz_slug.in_(["pre", "post"]))).all()
    for attempt in tests:
        attempt.credits = {str(i): rng.choice([0.0, 0.5, 1.0]) for i in range(4)}
        # Half as grading stores them now, half as attempts graded before it did.
        attempt.module_percents = module_percents(questions, attempt.credits) if rng.random() < .5 else None
    db.session.commit()
    forget_definitions()
    summary = _agrees(cohort)
    assert summary.gain.people > 5 and set(summary.gain.modules) == {"m0", "m1"}
    one = next(a for a in tests if a.quiz_slug == "pre" and a.status == "graded")
    one.module_percents = None if one.module_percents else module_percents(questions, one.credits)
    db.session.commit()
    _agrees(cohort)
    assert worked_out == ["all", [one.user_id]]
