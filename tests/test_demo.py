"""The demo gives every role something to do on first sign-in, over the shipped curriculum and
over the tests' fixture, and running it again changes nothing."""
from collections import Counter

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment.models import Attempt, AttemptStatus
from lms.cohorts.models import Attendance, Cohort, Enrollment, TrainingSession
from lms.config import REPO_ROOT
from lms.content.loader import load_curriculum
from lms.content.sync import sync_curriculum
from lms.demo import DEMO_COHORT, create_demo_data
from lms.extensions import db
from lms.home import work
from lms.home.demo import TRAINEES
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.records.facts import cohort_facts
from lms.roleplays.models import RolePlayRun
from lms.timeutil import local_today
from tests.conftest import FIXTURE_CONTENT

PASSWORD = "paralegal-demo"
TABLES = (User, Enrollment, Attempt, ActionPlan, PracticeEntry, TrainingSession, Attendance, RolePlayRun)


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in TABLES]


@pytest.fixture(params=["shipped", "fixture"])
def demo(app, request):
    root = REPO_ROOT if request.param == "shipped" else FIXTURE_CONTENT
    with app.app_context():
        curriculum = load_curriculum(root)
        assert curriculum.ok, curriculum.problems[:5]
        sync_curriculum(curriculum)
        create_demo_data(PASSWORD)
        db.session.commit()
        yield request.param


def test_a_dozen_trainees_with_pseudonyms_share_the_demo_password(app, demo):
    from lms.accounts.passwords import verify_password
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == DEMO_COHORT))
    trainees = db.session.scalars(sa.select(User).join(Enrollment, Enrollment.user_id == User.id)
                                  .where(Enrollment.cohort_id == cohort.id)).all()
    names = {u.username: u.display_name for u in trainees}
    assert len(names) == 12
    assert names["trainee1"] == "Melati" and names["trainee2"] == "Kenanga" and names["trainee3"] == "Cempaka"
    assert set(names) == {f"trainee{n}" for n in range(1, 13)}
    assert len(set(names.values())) == 12
    assert all(verify_password(u.password_hash, PASSWORD) for u in trainees)


def test_rtl_and_field_practice_come_in_every_state(app, demo):
    plans = Counter(db.session.scalars(sa.select(ActionPlan.state)))
    assert {ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.APPROVED, ReviewState.RETURNED} <= set(plans)
    entries = db.session.execute(sa.select(PracticeEntry.signed_off_at, PracticeEntry.returned_at)).all()
    assert any(signed for signed, _ in entries)
    assert any(returned and not signed for signed, returned in entries)
    assert any(not signed and not returned for signed, returned in entries)
    today = local_today(app.config["BABEL_DEFAULT_TIMEZONE"])
    # Nothing dated ahead: a mentor can sign off every entry waiting.
    assert all(d <= today for d in db.session.scalars(sa.select(PracticeEntry.done_on)))


def test_each_staff_role_finds_work_waiting(app, demo):
    today = local_today(app.config["BABEL_DEFAULT_TIMEZONE"])
    facilitator = db.session.scalar(sa.select(User).where(User.username == "facilitator1"))
    coordinator = db.session.scalar(sa.select(User).where(User.username == "coordinator1"))
    waiting = work.waiting_for(facilitator)
    essays = [p for p in TRAINEES.values() if p.essay_days is not None]
    assert waiting.essays == len(essays) >= 3
    assert waiting.plans_total >= 2 and waiting.entries_total >= 5
    sessions = work.next_sessions(facilitator, today)
    assert len(sessions) == 2 and all(s.held_on >= today for s, _c in sessions)
    # The sessions behind have attendance for every trainee.
    past = db.session.scalars(sa.select(TrainingSession.id).where(TrainingSession.held_on < today)).all()
    assert len(past) == 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 5 * 12
    # Each essay waiting is an attempt at a quiz with an essay question, sent days ago.
    for attempt in db.session.scalars(sa.select(Attempt).where(Attempt.status == AttemptStatus.AWAITING_REVIEW)):
        assert any(q["type"] == "essay" for q in attempt.version.definition["questions"])
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == DEMO_COHORT))
    card, = work.cohort_cards([cohort], certification=True)
    assert card.trainees == 12 and card.certified == 0
    if demo == "shipped":
        # Varied progress: some complete every module, some half-way, some not started.
        done = sorted(t.modules_done for t in cohort_facts(cohort).trainees)
        assert done[0] == 0 and done[-1] == 16 and any(0 < d < 16 for d in done)
        assert 4 <= card.completed < 12
        # Melati and three others meet every rule.
        assert card.ready == 4
    assert work.waiting_for(coordinator).essays == waiting.essays


def test_the_demo_twice_changes_nothing_and_keeps_what_the_browser_tests_rely_on(app, demo):
    before = _counts()
    create_demo_data(PASSWORD)
    db.session.commit()
    assert _counts() == before
    melati, kenanga = (db.session.scalar(sa.select(User).where(User.username == u)) for u in ("trainee1", "trainee2"))
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == DEMO_COHORT))
    facts = cohort_facts(cohort)
    kenanga_facts = facts.of(kenanga.id)
    assert (kenanga_facts.attendance.present, kenanga_facts.attendance.taken) == (3, 5)
    assert facts.of(melati.id).roleplays_taken == 1 and kenanga_facts.roleplays_taken == 0
    assert facts.of(melati.id).attendance.present == 5
    # Melati has no attempt waiting: the browser tests take quizzes as her.
    assert not db.session.scalar(sa.select(Attempt.id).where(
        Attempt.user_id == melati.id, Attempt.status != AttemptStatus.GRADED).limit(1))
