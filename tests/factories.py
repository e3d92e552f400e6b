"""Factories for organisations, cohorts and people, used across the cohort tests."""
from lms.accounts.models import Organisation, Role, User
from lms.accounts.passwords import hash_password
from lms.cohorts.models import Cohort, CohortFacilitator, Enrollment
from lms.extensions import db
from tests.conftest import PASSWORD


def make_org(name="Org Uji") -> Organisation:
    org = Organisation(name=name)
    db.session.add(org)
    db.session.flush()
    return org


def make_person(username, role=Role.TRAINEE, org=None, password=PASSWORD) -> User:
    user = User(username=username, display_name=username.title(), role=role,
                organisation_id=org.id if org else None,
                password_hash=hash_password(password) if password else None)
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
