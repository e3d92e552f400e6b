"""The cohort page counted in the database decides as the Python rules do: the summary,
the standings certification counts, the grid's filters and the staff home's cards, over a
varied cohort (every module state, essays awaiting review, accounts not activated, eligible
and certified trainees); and its query count does not grow with the cohort."""
import datetime as dt
import random
from collections import Counter
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role
from lms.assessment.completion import ModuleState, completion_states
from lms.assessment.models import Attempt, Quiz, QuizVersion
from lms.certification.models import Certificate, CertificationRules
from lms.certification.rules import evaluate
from lms.certification.service import rules_for
from lms.cohorts.models import Attendance, Cohort, Enrollment, TrainingSession
from lms.extensions import db
from lms.home import work
from lms.learning.models import Module, ModuleProgress, Track
from lms.practice.models import ActionPlan, PracticeEntry
from lms.records.cohort_page import STATES, GridQuery, cohort_summary, grid_of, grid_page, summarise
from lms.records.facts import cohort_facts, count_cohort, standings_of, track_of
from lms.roleplays.models import RolePlay, RolePlayRun, RolePlayVersion, RunParticipant
from tests.factories import make_org, make_person
from tests.helpers import count_queries

# m1 needs a quiz and two case analyses, m2 nothing but reading, m4 shares m0's quiz: every
# way a module's requirements can be laid out in the masks.
MODULES = [("m0", "q0", []), ("m1", "q1", ["c1", "c2"]), ("m2", None, []), ("m3", "q3", []), ("m4", "q0", [])]
QUIZZES = ["q0", "q1", "c1", "c2", "q3", "pre", "post"]


def _curriculum():
    db.session.add(Track(slug="t", title="Jalur", source_path="x", content_hash="x",
                         pretest_slug="pre", posttest_slug="post"))
    for i, (slug, quiz, cases) in enumerate(MODULES):
        db.session.add(Module(slug=slug, title=f"Modul {i}", track_slug="t", order=i + 1, quiz_slug=quiz,
                              case_slugs=cases, source_path="x", content_hash="x"))
    versions = {}
    for slug in QUIZZES:
        db.session.add(Quiz(slug=slug, title=slug, source_path="x", content_hash="x"))
        versions[slug] = QuizVersion(quiz_slug=slug, content_hash="x", definition={"questions": []})
        db.session.add(versions[slug])
    db.session.flush()
    return versions


def _attempt(user_id, slug, version, number, rng, last):
    status = rng.choice(["open" if last else "graded", "awaiting_review", "graded", "graded"])
    passed = rng.choice([True, False]) if status == "graded" else None
    return Attempt(user_id=user_id, quiz_slug=slug, quiz_version_id=version.id, kind="quiz", number=number,
                   status=status, layout={}, answers={}, credits={}, passed=passed,
                   score_percent=rng.choice([None, 45.0, 70.0, 90.0]) if status == "graded" else None)


def varied_cohort(size: int, seed: int = 3, org=None):
    """A cohort of `size` trainees in every state; returns its id."""
    rng = random.Random(seed)
    org = org or make_org(f"Org {seed}")
    versions = db.session.get(QuizVersion, 1) and {v.quiz_slug: v for v in db.session.scalars(sa.select(QuizVersion))}
    versions = versions or _curriculum()
    cohort = Cohort(organisation_id=org.id, name=f"Angkatan {seed}-{size}", track_slug="t")
    db.session.add(cohort)
    db.session.flush()
    sessions = [TrainingSession(cohort_id=cohort.id, held_on=dt.date(2026, 1, d + 1), topic="x") for d in range(3)]
    db.session.add_all(sessions)
    roleplay = db.session.scalar(sa.select(RolePlay)) or RolePlay(slug="rp", title="RP", source_path="x",
                                                                   content_hash="x")
    db.session.add(roleplay)
    db.session.flush()
    version = RolePlayVersion(roleplay_id=roleplay.id, number=cohort.id, content_hash="x", title="RP")
    db.session.add(version)
    db.session.flush()
    runs = [RolePlayRun(cohort_id=cohort.id, version_id=version.id, state=s) for s in ("live", "ended", "setup")]
    db.session.add_all(runs)
    db.session.flush()
    for n in range(size):
        user = make_person(f"p{seed}-{size}-{n:03d}", org=org, password=None if rng.random() < .2 else "rahasia123")
        user.display_name = rng.choice(["Ani", "Budi", "Citra", "Dewi"]) + f" {n:03d}"
        db.session.add(Enrollment(cohort_id=cohort.id, user_id=user.id))
        # Most go in order, as people do, so that many are complete or stuck on a later module.
        reach = rng.randint(0, len(MODULES))
        for i, (slug, quiz, cases) in enumerate(MODULES):
            if i < reach or rng.random() < .2:
                db.session.add(ModuleProgress(user_id=user.id, module_slug=slug))
        reached = {q for slug, quiz, cases in MODULES[:reach] for q in [quiz, *cases] if q}
        for slug in QUIZZES:
            if rng.random() < (.95 if slug in reached else .8 if slug in ("pre", "post") else .3):
                tries = rng.choice([1, 1, 2, 3])
                for number in range(1, tries + 1):
                    db.session.add(_attempt(user.id, slug, versions[slug], number, rng, number == tries))
                if rng.random() < (.85 if slug in reached else .3):   # a passed one
                    db.session.add(Attempt(user_id=user.id, quiz_slug=slug, quiz_version_id=versions[slug].id,
                                           kind="quiz", number=9, status="graded", layout={}, answers={},
                                           credits={}, passed=True, score_percent=95.0))
        for s in sessions[:2]:
            if rng.random() < .9:
                db.session.add(Attendance(session_id=s.id, user_id=user.id,
                                          status=rng.choice(["present", "present", "present", "absent", "excused"])))
        plan = rng.choice([None, "draft", "submitted", "approved", "approved", "returned"])
        if plan:
            db.session.add(ActionPlan(cohort_id=cohort.id, user_id=user.id, state=plan))
        for _ in range(rng.randint(0, 4)):
            db.session.add(PracticeEntry(cohort_id=cohort.id, user_id=user.id, done_on=dt.date(2026, 2, 1),
                                         kind="x", description="x",
                                         signed_off_at=dt.datetime(2026, 2, 2) if rng.random() < .7 else None))
        for run in runs:
            if rng.random() < .6:
                db.session.add(RunParticipant(run_id=run.id, user_id=user.id, group_number=1))
        db.session.flush()
    db.session.add(CertificationRules(cohort_id=cohort.id, version=2, modules=True, post_test_min=50,
                                      attendance_min=50, roleplays_min=1, rtl=False, practice_min=1))
    db.session.flush()
    return cohort.id


def _certify(cohort, user_ids, revoked=()):
    for user_id in user_ids:
        db.session.add(Certificate(code=f"c-{cohort.id}-{user_id}", cohort_id=cohort.id, user_id=user_id,
                                   printed_name="x", organisation_name="x", cohort_name="x", track_slug="t",
                                   track_title="x", modules=[], rules_version=1, rules={}, facts=[],
                                   revoked_at=dt.datetime(2026, 3, 1) if user_id in revoked else None))
    db.session.flush()


@pytest.fixture
def varied(app):
    with app.app_context():
        cohort = db.session.get(Cohort, varied_cohort(80))
        facts = cohort_facts(cohort)
        _certify(cohort, [t.user.id for t in facts.trainees[:6]], revoked={facts.trainees[0].user.id})
        db.session.commit()
        yield SimpleNamespace(cohort=cohort, facts=facts)


def test_the_masks_decide_every_cell_as_the_python_rule(varied):
    facts = varied.facts
    states = Counter(s for t in facts.trainees for s in t.states)
    assert all(states[s] > 0 for s in ModuleState), states          # the cohort is varied enough
    ids = [t.user.id for t in facts.trainees]
    python = completion_states(ids, facts.modules)
    assert [[python[(t.user.id, m.slug)] for m in facts.modules] for t in facts.trainees] == \
        [t.states for t in facts.trainees]


def test_the_summary_counted_in_sql_equals_the_python_one(varied):
    cohort, facts = varied.cohort, varied.facts
    sql, python = cohort_summary(cohort, facts.modules, facts.track), summarise(facts)
    assert 0 < python.complete < python.trainees and python.awaiting_review and python.not_activated
    assert len(python.stuck) >= 3
    assert (sql.trainees, sql.complete, sql.not_activated, sql.awaiting_review) == \
        (python.trainees, python.complete, python.not_activated, python.awaiting_review)
    assert [(s.module.slug, s.count) for s in sql.stuck] == [(s.module.slug, s.count) for s in python.stuck]
    assert [(m.slug, n) for m, n in sql.completed] == [(m.slug, n) for m, n in python.completed]
    assert [(p.label, p.value) for p in sql.parts] == [(p.label, p.value) for p in python.parts]


def test_certification_counts_the_same_eligible_trainees_as_each_trainees_own_rules(varied):
    cohort, facts = varied.cohort, varied.facts
    count = count_cohort(cohort, facts.modules, facts.track)
    standings = standings_of(count.tally)
    assert standings == Counter(t.standing for t in facts.trainees) == count.standings
    rules = rules_for(cohort.id).as_dict()
    eligible = sum(1 for t in facts.trainees if evaluate(t, rules).eligible)
    assert 0 < eligible < len(facts.trainees)
    assert sum(n for s, n in standings.items() if evaluate(s, rules).eligible) == eligible
    part, = cohort_summary(cohort, facts.modules, facts.track).parts
    assert part.value.startswith(f"{eligible} ")


def test_the_grid_filters_in_sql_keep_the_trainees_the_print_view_keeps(varied):
    cohort, facts = varied.cohort, varied.facts
    queries = [GridQuery(state=s, module=m) for s in STATES for m in ["", *(m.slug for m in facts.modules)]]
    queries += [GridQuery(stuck=m.slug) for m in facts.modules] + [GridQuery(q="ani"), GridQuery(q="P3-80-01"),
                                                                   GridQuery(q="budi", state="complete")]
    for query in queries:
        python = [r.user.id for r in grid_page(facts, GridQuery(**{**query.__dict__, "everything": True})).rows]
        page = grid_of(cohort, facts.modules, query, per_page=1000)
        assert [r.user.id for r in page.rows] == python, query
        assert page.total == len(python)
    assert any(grid_of(cohort, facts.modules, q, per_page=1000).total for q in queries[1:])


def test_the_grid_pages_in_name_order_with_each_rows_facts(varied):
    cohort, facts = varied.cohort, varied.facts
    second = grid_of(cohort, facts.modules, GridQuery(page=2), per_page=30)
    assert (second.total, second.page, second.pages, second.first, second.last) == (80, 2, 3, 31, 60)
    assert [r.user.id for r in second.rows] == [t.user.id for t in facts.trainees[30:60]]
    assert [(r.states, r.attendance, r.post, r.rtl) for r in second.rows] == \
        [(t.states, t.attendance, t.post, t.rtl) for t in facts.trainees[30:60]]


def test_the_staff_home_cards_count_as_the_certification_page(varied):
    cohort = varied.cohort
    card, = work.cohort_cards([cohort], certification=True)
    from_facts = work._card_from_facts(cohort, certification=True)
    assert (card.trainees, card.completed, card.ready, card.certified) == \
        (from_facts.trainees, from_facts.completed, from_facts.ready, from_facts.certified)
    assert card.certified == 5 and card.ready > 0
    plain, = work.cohort_cards([cohort], certification=False)
    assert (plain.trainees, plain.completed, plain.ready) == (80, card.completed, None)


@pytest.mark.parametrize("args", ["", "?page=2", "?state=in_progress&module=m1", "?stuck=m3&q=a"])
def test_the_cohort_page_costs_the_same_queries_for_5_or_60_trainees(app, client, args):
    from tests.test_cohort_page import _sign_in
    with app.app_context():
        org = make_org()
        make_person("koordinator", Role.COORDINATOR, org)
        small, large = varied_cohort(5, seed=1, org=org), varied_cohort(60, seed=2, org=org)
        db.session.commit()
    _sign_in(client, "koordinator")
    counts = []
    for cohort_id in (small, large):
        client.get(f"/cohorts/{cohort_id}{args}")    # warm: the first request loads what it caches
        with count_queries(app) as statements:
            assert client.get(f"/cohorts/{cohort_id}{args}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_a_track_too_long_for_the_masks_is_summarised_from_the_facts(app, monkeypatch):
    from lms.assessment import completion
    from lms.records import cohort_page
    with app.app_context():
        cohort = db.session.get(Cohort, varied_cohort(12))
        db.session.commit()
        expected = summarise(cohort_facts(cohort))
        monkeypatch.setattr(completion, "MASK_BITS", 3)
        with app.test_request_context():
            page = cohort_page.cohort_page(cohort, {})
        assert (page.summary.trainees, page.summary.complete) == (expected.trainees, expected.complete)
        assert track_of(cohort).slug == "t"


@pytest.mark.parametrize("args", ["", "?stuck=m3", "?all=1"])
def test_the_cohort_page_reads_the_track_and_its_modules_once_and_no_module_body(app, client, args):
    from tests.test_cohort_page import _sign_in
    with app.app_context():
        org = make_org()
        make_person("koordinator", Role.COORDINATOR, org)
        cohort_id = varied_cohort(25, seed=4, org=org)
        db.session.commit()
    _sign_in(client, "koordinator")
    client.get(f"/cohorts/{cohort_id}{args}")
    with count_queries(app) as statements:
        assert client.get(f"/cohorts/{cohort_id}{args}").status_code == 200
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len([s for s in reads if "FROM tracks" in s]) <= 1
    assert len([s for s in reads if "FROM modules" in s]) <= 1
    assert not [s for s in reads if "body_html" in s]


def test_the_group_gain_counted_in_sql_equals_the_python_one(app):
    from lms.assessment.analytics import gain_report
    from lms.assessment.reports import pre_post_pairs, track_gain
    from lms.records.facts import enrolled
    with app.app_context():
        cohort = db.session.get(Cohort, varied_cohort(40, seed=5))
        pre, post = (db.session.scalar(sa.select(QuizVersion).where(QuizVersion.quiz_slug == s)) for s in ("pre", "post"))
        # Tagged questions, and credits for them on every graded test attempt (one missing).
        questions = [{"type": "single", "points": p, "module": m} for p, m in ((1, "m0"), (2, "m0"), (1, "m1"), (3, None))]
        pre.definition = post.definition = {"questions": questions}
        rng = random.Random(9)
        attempts = db.session.scalars(sa.select(Attempt).where(Attempt.quiz_slug.in_(["pre", "post"]))).all()
        from lms.assessment.analytics import module_percents
        from lms.assessment.versions import forget_definitions
        track = track_of(cohort)
        ids = list(db.session.scalars(enrolled(cohort.id)))
        for attempt in attempts:
            attempt.credits = {str(i): rng.choice([0.0, 0.5, 1.0]) for i in range(4) if rng.random() < .9}
            attempt.module_percents = None
        db.session.flush()
        forget_definitions()
        from_credits = track_gain(ids, track)[0]
        # Half keep their percents per module, as grading now stores them; the others are as
        # attempts graded before that was, for gain to work out from the credits.
        for attempt in attempts:
            if rng.random() < .5:
                attempt.module_percents = module_percents(questions, attempt.credits)
        db.session.flush()
        forget_definitions()
        python, sql = track_gain(ids, track)[0], gain_report(list(pre_post_pairs(enrolled(cohort.id), track).values()))
        assert python == from_credits
        assert python.people > 5 and set(python.modules) == {"m0", "m1"}
        assert sql.people == python.people
        assert (sql.pre, sql.post, sql.gain) == pytest.approx((python.pre, python.post, python.gain))
        assert list(sql.modules) == list(python.modules)
        for module, values in python.modules.items():
            assert sql.modules[module] == pytest.approx(values)
