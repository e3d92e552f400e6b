"""Certification operations: change rules, issue (one, or all eligible), revoke, printed names.

They flush, never commit, and write every issue, exception, revocation and rules change to
the audit log in the same transaction.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from lms.accounts.models import User
from lms.certification.models import DEFAULT_RULES, Certificate, CertificationRules, PrintedName
from lms.certification.rules import Eligibility, evaluate
from lms.cohorts.models import Cohort
from lms.core import audit
from lms.extensions import db
from lms.records.facts import CohortFacts, TraineeFacts, cohort_facts, trainee_facts_by_cohort
from lms.timeutil import utcnow

MAX_NAME = 120


class CertificationError(Exception):
    """A certificate that may not be issued (the message says why, in the user's language)."""


def rules_for(cohort_id: int) -> CertificationRules:
    """The cohort's rules: its row, or the defaults (version 1, not added to the session)."""
    row = db.session.get(CertificationRules, cohort_id)
    return row if row is not None else CertificationRules(cohort_id=cohort_id, version=1, **DEFAULT_RULES)


def change_rules(cohort: Cohort, changes: dict, actor_id: int | None) -> CertificationRules:
    """Change the rules given (None: keep); a real change makes a new version and is logged."""
    rules = rules_for(cohort.id)
    before = rules.as_dict()
    for key, value in changes.items():
        if value is None or key not in DEFAULT_RULES:
            continue
        if isinstance(DEFAULT_RULES[key], bool):
            value = bool(value)
        else:
            value = int(value)
            if not 0 <= value <= (100 if key in ("post_test_min", "attendance_min") else 1000):
                raise ValueError(key)
        setattr(rules, key, value)
    after = rules.as_dict()
    if after == before:
        return rules
    if db.session.get(CertificationRules, cohort.id) is None:
        db.session.add(rules)
    rules.version = (rules.version or 1) + 1
    rules.updated_by, rules.updated_at = actor_id, utcnow()
    db.session.flush()
    audit.record("certification.rules_changed", f"cohort:{cohort.id}", actor_id,
                 {"version": rules.version, "before": before, "after": after},
                 organisation_id=cohort.organisation_id)
    return rules


def printed_name(user: User) -> str:
    """The name to print: the one the trainee consented to, else their display name."""
    row = db.session.get(PrintedName, user.id)
    return row.name if row is not None else user.display_name


def set_printed_name(user: User, name: str, actor_id: int) -> None:
    """Set (or, with an empty name, clear) the printed name; certificates already issued keep theirs."""
    name = " ".join((name or "").split())[:MAX_NAME]
    row = db.session.get(PrintedName, user.id)
    if not name:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(PrintedName(user_id=user.id, name=name, set_by=actor_id))
    else:
        row.name, row.set_by, row.set_at = name, actor_id, utcnow()
    db.session.flush()


@dataclass
class TraineeStatus:
    facts: TraineeFacts
    eligibility: Eligibility
    certificate: Certificate | None


def cohort_status(cohort: Cohort, trainees: list[User] | None = None, **known) -> tuple[CohortFacts, list[TraineeStatus]]:
    """Every trainee (or those given) with their eligibility and certificate, in a fixed number
    of queries; `known` is what the caller already read, handed to `cohort_facts`."""
    facts = cohort_facts(cohort, trainees, **known)
    rules = rules_for(cohort.id).as_dict()
    ids = [t.user.id for t in facts.trainees]
    certs = {c.user_id: c for c in db.session.scalars(sa.select(Certificate).where(
        Certificate.cohort_id == cohort.id, Certificate.user_id.in_(ids)))} if ids else {}
    return facts, [TraineeStatus(t, evaluate(t, rules), certs.get(t.user.id)) for t in facts.trainees]


# A trainee's home shows of a certificate its dates, printed name and links: not the frozen
# modules, rules and facts (JSON to decode). One read anyway loads on access.
_SHOWN = sa.orm.load_only(Certificate.id, Certificate.cohort_id, Certificate.user_id, Certificate.printed_name,
                          Certificate.issued_at, Certificate.revoked_at)
# Per cohort its rules (no row: the defaults) and the trainee's certificate, with the name a
# certificate to come would print, in one query.
_OWN_STATUS = (sa.select(Cohort.id, CertificationRules, Certificate,
                         sa.select(PrintedName.name).where(PrintedName.user_id == sa.bindparam("user_id"))
                         .scalar_subquery())
               .select_from(Cohort)
               .outerjoin(CertificationRules, CertificationRules.cohort_id == Cohort.id)
               .outerjoin(Certificate, sa.and_(Certificate.cohort_id == Cohort.id,
                                               Certificate.user_id == sa.bindparam("user_id")))
               .where(Cohort.id.in_(sa.bindparam("cohort_ids", expanding=True)))
               .options(_SHOWN))


def trainee_status(user: User, cohorts, **known) -> tuple[dict[int, TraineeStatus], str]:
    """One trainee's eligibility and certificate in each of these cohorts (by cohort id), as
    `cohort_status(cohort, [user])` decides them per cohort, and the name a certificate would
    print, in a fixed number of queries however many cohorts; `known` is what the caller
    already read, handed to `trainee_facts_by_cohort`."""
    facts = trainee_facts_by_cohort(user, cohorts, **known)
    if not facts:
        return {}, user.display_name
    rows = db.session.execute(_OWN_STATUS, {"user_id": user.id, "cohort_ids": list(facts)}).all()
    found = {cohort_id: (rules, cert) for cohort_id, rules, cert, _name in rows}
    name = next((name for *_row, name in rows if name is not None), user.display_name)
    statuses = {}
    for cohort_id, in_cohort in facts.items():
        rules, cert = found.get(cohort_id, (None, None))
        [trainee] = in_cohort.trainees
        statuses[cohort_id] = TraineeStatus(trainee, evaluate(trainee, rules.as_dict() if rules else dict(DEFAULT_RULES)),
                                            cert)
    return statuses, name


def certificate_of(cohort_id: int, user_id: int) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(
        Certificate.cohort_id == cohort_id, Certificate.user_id == user_id))


def new_code() -> str:
    """An unguessable, URL-safe code: 24 random bytes (192 bits), 32 characters, never starting
    with "-" or "_" (a code read as a command-line option, or misread when copied by hand)."""
    while (code := secrets.token_urlsafe(24))[0] in "-_":
        continue
    return code


def issue(cohort: Cohort, facts: CohortFacts, status: TraineeStatus, actor_id: int | None,
          reason: str | None = None) -> tuple[Certificate, bool]:
    """Issue one trainee's certificate; returns (certificate, whether it is new).

    An existing certificate is returned as it is. A trainee who misses a rule is certified
    only with a written reason, which is kept and logged as an exception.
    """
    from lms.core.i18n import gettext as _
    if status.certificate is not None:
        return status.certificate, False
    reason = (reason or "").strip()
    if not status.eligibility.eligible and not reason:
        raise CertificationError(_("%(name)s does not meet every rule: write the reason for the exception.",
                                   name=status.facts.user.display_name))
    rules = rules_for(cohort.id)
    user = status.facts.user
    cert = Certificate(
        code=new_code(), cohort_id=cohort.id, user_id=user.id, printed_name=printed_name(user),
        organisation_name=cohort.organisation.name, cohort_name=cohort.name,
        track_slug=cohort.track_slug, track_title=facts.track.title if facts.track else cohort.track_slug,
        cohort_starts_on=cohort.starts_on.isoformat() if cohort.starts_on else None,
        cohort_ends_on=cohort.ends_on.isoformat() if cohort.ends_on else None,
        modules=[m.title for m in facts.modules], rules_version=rules.version, rules=rules.as_dict(),
        facts=[{"key": r.key, "on": r.on, "met": r.met, "numbers": r.numbers}
               for r in status.eligibility.results],
        exception_reason=reason if not status.eligibility.eligible else None,
        issued_by=actor_id, issued_at=utcnow())
    db.session.add(cert)
    db.session.flush()
    status.certificate = cert
    audit.record("certification.issued", f"certificate:{cert.id}", actor_id, {
        "cohort": cohort.id, "user": user.id, "code_sha256": _code_digest(cert.code),
        "rules_version": cert.rules_version, "unmet": [r.key for r in status.eligibility.unmet]},
        subject_id=user.id, organisation_id=cohort.organisation_id)
    if cert.exception_reason:
        audit.record("certification.exception", f"certificate:{cert.id}", actor_id, {
            "cohort": cohort.id, "user": user.id, "unmet": [r.key for r in status.eligibility.unmet],
            "reason_sha256": _code_digest(cert.exception_reason)}, subject_id=user.id, organisation_id=cohort.organisation_id)
    return cert, True


def _code_digest(code: str) -> str:
    """The log names a certificate by a digest of its code, not the code that opens its page;
    and a reason staff wrote by its digest (it may name the person, and the log outlives
    their erasure): the certificate keeps the text until then, and the digest proves it."""
    import hashlib
    return hashlib.sha256(code.encode()).hexdigest()


def issue_all_eligible(cohort: Cohort, actor_id: int | None) -> list[Certificate]:
    """Certify every eligible trainee who has no certificate yet; returns the new ones."""
    facts, statuses = cohort_status(cohort)
    issued = []
    for status in statuses:
        if status.certificate is None and status.eligibility.eligible:
            cert, _new = issue(cohort, facts, status, actor_id)
            issued.append(cert)
    return issued


def issue_one(cohort: Cohort, user: User, actor_id: int | None, reason: str | None = None) -> tuple[Certificate, bool]:
    facts, statuses = cohort_status(cohort, [user])
    return issue(cohort, facts, statuses[0], actor_id, reason)


def revoke(cert: Certificate, reason: str, actor_id: int | None) -> bool:
    """Revoke with a reason; False when it was already revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("reason")
    if cert.revoked_at is not None:
        return False
    cert.revoked_at, cert.revoked_reason, cert.revoked_by = utcnow(), reason, actor_id
    db.session.flush()
    audit.record("certification.revoked", f"certificate:{cert.id}", actor_id,
                 {"cohort": cert.cohort_id, "user": cert.user_id, "reason_sha256": _code_digest(reason)},
                 subject_id=cert.user_id, organisation_id=db.session.get(Cohort, cert.cohort_id).organisation_id)
    return True


def by_code(code: str) -> Certificate | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))
