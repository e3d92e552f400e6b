"""Factories for organisations, cohorts and people, used across the cohort tests."""
from lms.accounts.models import Organisation, Role, User
from lms.cohorts.models import Cohort, CohortFacilitator, Enrollment
from lms.extensions import db
from tests.conftest import PASSWORD, fixture_hash


def make_org(name="Org Uji") -> Organisation:
    org = Organisation(name=name)
    db.session.add(org)
    db.session.flush()
    return org


def make_person(username, role=Role.TRAINEE, org=None, password=PASSWORD) -> User:
    user = User(username=username, display_name=username.title(), role=role,
                organisation_id=org.id if org else None,
                password_hash=fixture_hash(password) if password else None)
    db.session.add(user)
    db.session.flush()
    return user


def make_cohort(org, name="Angkatan I", track="dasar", trainees=(), facilitators=()) -> Cohort:
    cohort = Cohort(organisation_id=org.id, name=name, track_slug=track)
    db.session.add(cohort)
    db.session.flush()
    db.session.add_all([Enrollment(cohort_id=cohort.id, user_id=u.id) for u in trainees])
    db.session.add_all([CohortFacilitator(cohort_id=cohort.id, user_id=u.id) for u in facilitators])
    db.session.flush()
    return cohort


def take_quiz(user_id, slug, answers) -> int:
    """Start and submit an attempt at a synced quiz; returns its id."""
    from lms.assessment.attempts import start_or_resume, submit
    from lms.assessment.models import Quiz
    quiz = db.session.query(Quiz).filter_by(slug=slug).one()
    attempt = start_or_resume(user_id, quiz)
    db.session.flush()
    submit(attempt, answers, quiz.pass_mark)
    return attempt.id


def world(app):
    """Two organisations, each with a coordinator, a facilitator, a cohort and two trainees,
    plus an admin and a facilitator with no cohort. Returns a dict of ids."""
    with app.app_context():
        ids = {}
        for tag in ("a", "b"):
            org = make_org(f"Org {tag.upper()}")
            coord = make_person(f"coord-{tag}", Role.COORDINATOR, org)
            fac = make_person(f"fac-{tag}", Role.FACILITATOR, org)
            t1, t2 = make_person(f"trainee-{tag}1", org=org), make_person(f"trainee-{tag}2", org=org)
            cohort = make_cohort(org, f"Angkatan {tag.upper()}", trainees=[t1, t2], facilitators=[fac])
            ids.update({f"org_{tag}": org.id, f"coord_{tag}": coord.id, f"fac_{tag}": fac.id,
                        f"t{tag}1": t1.id, f"t{tag}2": t2.id, f"cohort_{tag}": cohort.id})
        ids["admin"] = make_person("admin", Role.ADMIN).id
        ids["fac_none"] = make_person("fac-none", Role.FACILITATOR, db.session.get(Organisation, ids["org_a"])).id
        db.session.commit()
        return ids


def read_modules(user_id, slugs) -> None:
    """Mark modules read by a person (reading progress)."""
    from lms.learning.models import ModuleProgress
    db.session.add_all([ModuleProgress(user_id=user_id, module_slug=slug) for slug in slugs])
    db.session.flush()


def make_session(cohort_id, held_on, attendance=None, topic="Sesi"):
    """A training session of a cohort and who attended it ({user_id: status})."""
    from lms.cohorts.models import Attendance, TrainingSession
    session = TrainingSession(cohort_id=cohort_id, held_on=held_on, topic=topic)
    db.session.add(session)
    db.session.flush()
    db.session.add_all([Attendance(session_id=session.id, user_id=user_id, status=status)
                        for user_id, status in (attendance or {}).items()])
    db.session.flush()
    return session


def make_plan(cohort_id, user_id, state="submitted"):
    """A trainee's follow-up plan (RTL) in a cohort."""
    from lms.practice.models import ActionPlan
    plan = ActionPlan(cohort_id=cohort_id, user_id=user_id, activities="Sosialisasi", state=state)
    db.session.add(plan)
    db.session.flush()
    return plan


def log_practice(cohort_id, user_id, done_on, count=1, signed_off_by=None) -> list:
    """Field-practice entries of a trainee (signed off when `signed_off_by` is given)."""
    from lms.practice.models import PracticeEntry
    entries = [PracticeEntry(cohort_id=cohort_id, user_id=user_id, done_on=done_on, kind="hotline",
                             description=f"Piket hotline {n + 1}.", signed_off_by=signed_off_by)
               for n in range(count)]
    db.session.add_all(entries)
    db.session.flush()
    return entries


def run_roleplay(cohort_id, user_ids, slug="rp-uji", live=True):
    """A role-play run of a cohort with these people in one group, in the roles in order."""
    from lms.roleplays import authoring, runs
    from lms.roleplays.models import RolePlay
    version = authoring.ensure_version(db.session.query(RolePlay).filter_by(slug=slug).one(), None)
    run = runs.start_run(db.session.get(Cohort, cohort_id), version, list(user_ids), groups=1,
                         method=runs.BY_HAND)
    if live:
        runs.go_live(run)
    return run


def certify(cohort_id, user_id, actor_id, reason="Uji"):
    """Issue the certificate of a trainee in a cohort (as an exception when rules are unmet)."""
    from lms.certification.service import issue_one
    cert, _new = issue_one(db.session.get(Cohort, cohort_id), db.session.get(User, user_id), actor_id,
                           reason=reason)
    return cert


def sign_in_elsewhere(user_id, count=1) -> None:
    """More signed-in browsers of a person (login sessions)."""
    from lms.accounts.models import LoginSession
    db.session.add_all([LoginSession(user_id=user_id) for _ in range(count)])
    db.session.flush()
