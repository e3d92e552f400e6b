"""A person's certification data in the export and the erasure (lms.records.privacy).

Erasing a person blanks the name printed on their certificates and revokes them (logged),
so the public page no longer ties the certificate to anyone; the rest of the record stays
so the cohort's figures remain true.
"""
import sqlalchemy as sa

from lms.accounts.models import User
from lms.certification.models import Certificate, PrintedName
from lms.certification.service import revoke
from lms.extensions import db
from lms.records.privacy import ERASED_TEXT, register_person_data, rows_of

ERASED_REASON = "Data peserta dihapus atas permintaan."


def export(user: User) -> dict:
    return {"printed_name": rows_of(PrintedName, PrintedName.user_id == user.id),
            "certificates": rows_of(Certificate, Certificate.user_id == user.id)}


def erase(user: User) -> None:
    db.session.execute(sa.delete(PrintedName).where(PrintedName.user_id == user.id))
    for cert in db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id)):
        revoke(cert, ERASED_REASON, actor_id=None)
        cert.printed_name = ERASED_TEXT
    db.session.flush()


register_person_data("certification", export, erase)
