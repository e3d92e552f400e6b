"""A person's certification data in the privacy registry, the export and the erasure
(lms.records.privacy).

Erasing a person blanks the name printed on their certificates and revokes them (logged),
so the public page no longer ties the certificate to anyone; the reasons staff wrote are
blanked too (they may name the person); the rest of the record stays so the cohort's
figures remain true.
"""
import sqlalchemy as sa

from lms.accounts.models import User
from lms.certification.models import Certificate, PrintedName
from lms.certification.service import revoke
from lms.extensions import db
from lms.records.privacy import (
    ERASED_TEXT,
    FREE_TEXT,
    IDENTIFIER,
    NOT_PERSONAL,
    PERSONAL,
    register_person_data,
    register_table,
)

ERASED_REASON = "Data peserta dihapus atas permintaan."

_ID, _NP = IDENTIFIER, NOT_PERSONAL


def erase(user: User) -> None:
    db.session.execute(sa.delete(PrintedName).where(PrintedName.user_id == user.id))
    for cert in db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id)):
        if not revoke(cert, ERASED_REASON, actor_id=None):
            cert.revoked_reason = ERASED_REASON
        cert.printed_name = ERASED_TEXT
        if cert.exception_reason:
            cert.exception_reason = ERASED_TEXT
    db.session.flush()


register_person_data("certification", None, erase)
register_table("printed_names", {"user_id": _ID, "name": PERSONAL, "set_by": _ID, "set_at": _NP},
               "Deleted.", lambda u: PrintedName.user_id == u.id, "printed_name", "certification")
register_table("certificates", {
    # The code opens the public verification page: the person's own, so it is exported.
    "id": _ID, "code": _ID, "cohort_id": _ID, "user_id": _ID, "printed_name": PERSONAL,
    "organisation_name": _NP, "cohort_name": _NP, "track_slug": _NP, "track_title": _NP,
    "cohort_starts_on": _NP, "cohort_ends_on": _NP, "modules": _NP, "rules_version": _NP,
    "rules": _NP, "facts": _NP, "exception_reason": FREE_TEXT, "issued_by": _ID,
    "issued_at": _NP, "revoked_at": _NP, "revoked_reason": FREE_TEXT, "revoked_by": _ID},
    "Revoked; the printed name and the reasons staff wrote are blanked; facts are kept.",
    lambda u: Certificate.user_id == u.id, "certificates", "certification")
register_table("certification_rules", {
    "cohort_id": _ID, "modules": _NP, "post_test_min": _NP, "attendance_min": _NP,
    "roleplays_min": _NP, "rtl": _NP, "practice_min": _NP, "version": _NP, "updated_by": _ID,
    "updated_at": _NP}, "A cohort's rules are about no one: kept.")
