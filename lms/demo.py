"""`flask demo`: an organisation, a cohort of twelve trainees with varied progress and one account
of each staff role, so every role has something to do on first sign-in. Idempotent."""
import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from lms.accounts.models import Organisation, Role, User
from lms.accounts.passwords import hash_password
from lms.certification.demo import create_certification_demo
from lms.cohorts.models import Cohort, CohortFacilitator, Enrollment
from lms.core.transaction import committing
from lms.extensions import db
from lms.home.demo import TRAINEES, create_work_demo
from lms.timeutil import local_today

DEMO_ORGANISATION = "Jaringan Paralegal Komunitas Karangsari (demo)"
DEMO_COHORT = "Angkatan I"
DEMO_TRACK = "paralegal"
DEMO_USERS = (
    ("admin", Role.ADMIN, "Admin"),
    ("coordinator1", Role.COORDINATOR, "Koordinator Satu"),
    ("facilitator1", Role.FACILITATOR, "Fasilitator Satu"),
    ("trainee1", Role.TRAINEE, "Melati"),
    ("trainee2", Role.TRAINEE, "Kenanga"),
    # trainee3..trainee12, pseudonyms as trainees often choose (flowers); progress in lms/home/demo.py
    *((username, Role.TRAINEE, progress.name) for username, progress in TRAINEES.items()),
)


def _get_or_add(model, defaults: dict | None = None, **where):
    row = db.session.scalar(sa.select(model).filter_by(**where))
    if row is None:
        row = model(**where, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def create_demo_data(password: str) -> None:
    """Create the demo organisation, cohort and accounts unless they exist. Never commits."""
    org = _get_or_add(Organisation, name=DEMO_ORGANISATION)
    cohort = _get_or_add(Cohort, organisation_id=org.id, name=DEMO_COHORT,
                         defaults={"track_slug": DEMO_TRACK})
    users, password_hash = {}, None
    for username, role, display_name in DEMO_USERS:
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            # One salted hash serves every demo account: they share the password anyway.
            password_hash = password_hash or hash_password(password)
            user = User(username=username, role=role, display_name=display_name,
                        organisation_id=None if role == Role.ADMIN else org.id,
                        password_hash=password_hash)
            db.session.add(user)
            db.session.flush()
        users[username] = user
        if role == Role.TRAINEE:
            _get_or_add(Enrollment, cohort_id=cohort.id, user_id=user.id)
        elif role == Role.FACILITATOR:
            _get_or_add(CohortFacilitator, cohort_id=cohort.id, user_id=user.id)
    create_certification_demo(cohort, users)
    create_work_demo(cohort, users, users["facilitator1"],
                     local_today(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


@click.command("demo")
@with_appcontext
def demo_command():
    """Create demo accounts (password from LMS_DEMO_PASSWORD). Running it twice changes nothing."""
    with committing():
        create_demo_data(current_app.config["LMS_DEMO_PASSWORD"])
    click.echo("demo data ready: admin, coordinator1, facilitator1, trainee1 .. trainee12")
