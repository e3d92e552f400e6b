"""An append-only, hash-chained audit log, for any domain that must account for what staff did.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own canonical
JSON (sequence number, time, actor, action, target and data), so changing or removing any
entry breaks every hash after it; `verify_chain()` names the first entry that does not fit.
Entries are written in the same transaction as the change they record (they `flush()`,
never commit), so a change that rolls back leaves no entry and an entry never outlives its
change. Deleting the newest entries cannot be seen from the chain alone: compare the newest
hash with one kept elsewhere (printed by `flask audit verify`) for that.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.timeutil import utcnow

GENESIS = "0" * 64
# Writers of the log take turns, so two transactions never read the same last entry:
# PostgreSQL through this transaction-scoped advisory lock, SQLite by starting the write
# (a statement that changes nothing still takes the database's one write lock).
_LOCK_KEY = 0x4C4D5341   # "LMSA"


def _take_turn() -> None:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    elif dialect == "sqlite":
        db.session.execute(sa.text("UPDATE audit_log SET seq = seq WHERE 0"))


class AuditEntry(db.Model):
    """One thing someone did that must be accounted for (issued, revoked, changed rules...)."""

    __tablename__ = "audit_log"
    __page_owner__ = None   # shown on staff pages only, never kept

    id: Mapped[int] = mapped_column(primary_key=True)
    # Gapless and unique: database ids may skip after a rollback, the chain may not.
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who did it. A plain number, no foreign key: the log outlives accounts and is never
    # rewritten when one is erased.
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(sa.String(60))
    target: Mapped[str] = mapped_column(sa.String(120))   # e.g. "certificate:12"
    # Whose data or account the action was about, and the organisation whose coordinators
    # may read the entry (None: only admins). Plain numbers, for the same reason as actor_id.
    subject_id: Mapped[int | None] = mapped_column(index=True)
    organisation_id: Mapped[int | None] = mapped_column(index=True)
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


def canonical(entry: AuditEntry) -> str:
    """The entry's own content as canonical JSON (sorted keys, no spaces, UTF-8 text).

    Subject and organisation join the hashed content only when set, so entries written
    before those columns existed keep their hashes."""
    content = {
        "seq": entry.seq, "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor_id, "action": entry.action, "target": entry.target,
        "data": entry.data or {},
    }
    if entry.subject_id is not None:
        content["subject"] = entry.subject_id
    if entry.organisation_id is not None:
        content["organisation"] = entry.organisation_id
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


def record(action: str, target: str, actor_id: int | None, data: dict | None = None, *,
           subject_id: int | None = None, organisation_id: int | None = None) -> AuditEntry:
    """Append an entry to the chain (flushes; the caller's transaction commits it).

    `data` holds ids, states and counts, never text someone typed about a person: the log
    is never rewritten, so it would outlive the person's erasure."""
    _take_turn()
    last = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    entry = AuditEntry(seq=(last.seq + 1) if last else 1, at=utcnow().replace(microsecond=0),
                       actor_id=actor_id, action=action, target=target,
                       subject_id=subject_id, organisation_id=organisation_id,
                       data=json.loads(json.dumps(data or {}, default=str)),
                       prev_hash=last.hash if last else GENESIS)
    entry.hash = entry_hash(entry.prev_hash, entry)
    db.session.add(entry)
    db.session.flush()
    return entry


def person_action(action: str, subject_id: int, actor_id: int | None, organisation_id: int | None,
                  **data) -> AuditEntry:
    """Record what staff did to a person's account or data (target `user:<id>`)."""
    return record(action, f"user:{subject_id}", actor_id, data, subject_id=subject_id,
                  organisation_id=organisation_id)


@dataclass
class ChainReport:
    entries: int
    head: str                       # hash of the newest entry (GENESIS when empty)
    bad_seq: int | None = None      # first entry that does not fit, if any
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_seq is None


def verify_chain() -> ChainReport:
    """Walk the chain from the start; report the first entry that was changed or removed."""
    prev, expected_seq, count = GENESIS, 1, 0
    for entry in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq)).yield_per(500):
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(count, prev, expected_seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != prev:
            return ChainReport(count, prev, entry.seq,
                               f"entry {entry.seq} does not follow entry {entry.seq - 1}")
        if entry_hash(prev, entry) != entry.hash:
            return ChainReport(count, prev, entry.seq, f"entry {entry.seq} was changed")
        prev, expected_seq = entry.hash, expected_seq + 1
    return ChainReport(count, prev)


def entries_for(target: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.target == target)
                                   .order_by(AuditEntry.seq)))


def newest_entries(organisation_id: int | None, page: int, per_page: int = 50) -> tuple[list[AuditEntry], bool]:
    """One page of entries, newest first, of one organisation (None: every entry); and
    whether an older page exists."""
    query = sa.select(AuditEntry).order_by(AuditEntry.seq.desc())
    if organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    rows = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)))
    return rows[:per_page], len(rows) > per_page


audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("verify")
def verify_command():
    """Check the hash chain; exit 1 naming the first bad entry."""
    report = verify_chain()
    if not report.ok:
        click.echo(f"audit log broken: {report.problem} (entry {report.bad_seq})", err=True)
        raise SystemExit(1)
    click.echo(f"audit log ok: {report.entries} entries, head {report.head}")
