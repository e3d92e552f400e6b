"""The certificates section of a person's page (lms.records.person), registered here because
certification sits above records."""
import sqlalchemy as sa

from lms.accounts.models import User
from lms.certification.models import Certificate
from lms.extensions import db
from lms.records.person import register_person_section


def certificates_of(user: User) -> list[Certificate]:
    """Every certificate of the person, revoked ones included, newest first."""
    return list(db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id)
                                   .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


register_person_section("certification/_person.html", certificates_of)
