"""The audit log as people read it: each entry's action in words, who did it and to whom."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from lms.accounts.models import User
from lms.cohorts.models import Cohort
from lms.core.audit import AuditEntry
from lms.core.i18n import lazy_gettext as _l
from lms.core.labels import role_label
from lms.extensions import db

ACTIONS = {
    "account.created": _l("Account created"),
    "activation.code_issued": _l("New activation code issued"),
    "enrolment.added": _l("Enrolled in a cohort"),
    "enrolment.removed": _l("Removed from a cohort"),
    "sessions.ended": _l("Signed out on every device"),
    "person.exported": _l("Data exported"),
    "person.erased": _l("Data erased"),
    "rtl.approved": _l("RTL approved"),
    "rtl.returned": _l("RTL returned"),
    "practice.signed": _l("Field practice signed off"),
    "practice.returned": _l("Field practice returned"),
    "assessment.essay_graded": _l("Essay graded"),
    "assessment.essay_regraded": _l("Essay regraded"),
    "certification.rules_changed": _l("Certification rules changed"),
    "certification.issued": _l("Certificate issued"),
    "certification.exception": _l("Certificate issued as an exception"),
    "certification.revoked": _l("Certificate revoked"),
}


@dataclass
class AuditRow:
    entry: AuditEntry
    action: str
    at: datetime
    actor: str
    subject: str | None
    cohort: str | None
    detail: str | None


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def audit_rows(entries: list[AuditEntry]) -> list[AuditRow]:
    """Entries with names instead of numbers, in two queries whatever their number."""
    user_ids = {e.actor_id for e in entries} | {e.subject_id for e in entries}
    names = dict(db.session.execute(sa.select(User.id, User.display_name).where(
        User.id.in_([i for i in user_ids if i is not None]))).all()) if user_ids else {}
    cohort_ids = {_cohort_id(e) for e in entries} - {None}
    cohorts = dict(db.session.execute(sa.select(Cohort.id, Cohort.name).where(
        Cohort.id.in_(cohort_ids))).all()) if cohort_ids else {}
    return [AuditRow(
        entry=e, action=action_label(e.action), at=e.at,
        actor=names.get(e.actor_id, f"#{e.actor_id}") if e.actor_id is not None else str(_l("the system")),
        subject=names.get(e.subject_id, f"#{e.subject_id}") if e.subject_id is not None else None,
        cohort=cohorts.get(_cohort_id(e)), detail=_detail(e)) for e in entries]


def _cohort_id(entry: AuditEntry) -> int | None:
    data = entry.data or {}
    if isinstance(data.get("cohort"), int):
        return data["cohort"]
    if entry.target.startswith("cohort:"):
        return int(entry.target.split(":", 1)[1])
    return None


def _detail(entry: AuditEntry) -> str | None:
    data = entry.data or {}
    if entry.action == "account.created" and data.get("role"):
        return str(role_label(data["role"]))
    if entry.action == "sessions.ended" and "sessions" in data:
        return str(_l("%(n)d sessions ended", n=data["sessions"]))
    if entry.action == "enrolment.added" and data.get("how") == "import":
        return str(_l("from a roster file"))
    return None
