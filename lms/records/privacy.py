"""A person's data: export everything held about them; erase them without breaking statistics.

`TABLES` is the privacy registry: every table of the schema, every column classified (see
KINDS), which rows are the person's (exported) and what erasure does with them.
`tests/test_privacy.py` walks `db.metadata` and fails on a table or column missing here, so a
new model cannot be added without deciding what its data means for a person.

Erasure anonymises the account and blanks free text the person wrote and staff wrote about
their work (essays, short and numeric answers, RTL, field practice, reviewers' comments,
observers' notes on the role they played), removes their name from shared notes of the
role-plays they took part in, but keeps scores, states and attendance, so cohort completion
rates and learning gain stay true. On SQLite deleted content is overwritten
(`secure_delete`, see extensions.py) and the write-ahead log is emptied after the commit, so
the old text cannot be read back from the file.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts.models import ActivationCode, LoginSession, LoginThrottle, User
from lms.assessment.models import Attempt, EssayReview, EssayReviewHistory
from lms.assessment.question_types import QUESTION_TYPES
from lms.cohorts.models import Attendance, Cohort, CohortFacilitator, Enrollment
from lms.core import audit
from lms.core.audit import AuditEntry
from lms.extensions import db
from lms.learning.models import ModuleProgress
from lms.practice.models import ActionPlan, PracticeEntry
from lms.roleplays.models import RolePlayRun, RunObservation, RunParticipant
from lms.timeutil import utcnow

ERASED_TEXT = "[dihapus]"

# What a column holds, which decides what the export and the erasure do with it:
PERSONAL = "personal"          # about the person (name, phone, email): exported; erasure replaces it
FREE_TEXT = "free_text"        # typed text that may name anyone: exported; erasure blanks it
SECRET = "secret"  # noqa: S105 - a kind name, not a password; password hash, token, code digest: never exported; erasure removes it
IDENTIFIER = "identifier"      # ids and links between rows: exported; kept (statistics need them)
NOT_PERSONAL = "not_personal"  # states, scores, dates, content: exported with the row; kept
KINDS = (PERSONAL, FREE_TEXT, SECRET, IDENTIFIER, NOT_PERSONAL)


@dataclass(frozen=True)
class TableData:
    """One table in the registry.

    `whose(user)` selects the person's rows (None: the table holds no one's rows); they go
    into the export under `key` (inside `group` when set). `erasure` says in words what
    erasing a person does to the table."""

    columns: dict[str, str]
    erasure: str
    whose: Callable[[User], sa.ColumnElement] | None = None
    key: str | None = None
    group: str | None = None


TABLES: dict[str, TableData] = {}


def register_table(name: str, columns: dict[str, str], erasure: str,
                   whose: Callable[[User], sa.ColumnElement] | None = None,
                   key: str | None = None, group: str | None = None) -> None:
    """Domains above records register their tables here (records cannot import them)."""
    TABLES[name] = TableData(columns, erasure, whose, key or name, group)


# Domains above records that must do more than the registry when a person is erased (revoke a
# certificate, log it) register (name, export, erase) here. export(user) may return None
# when the registry already exports their tables; both flush, never commit.
PERSON_DATA: list[tuple[str, Callable[[User], object] | None, Callable[[User], None]]] = []


def register_person_data(name: str, export: Callable[[User], object] | None,
                         erase: Callable[[User], None]) -> None:
    if name not in {n for n, _e, _r in PERSON_DATA}:
        PERSON_DATA.append((name, export, erase))


_ID, _NP, _FT, _PD, _SC = IDENTIFIER, NOT_PERSONAL, FREE_TEXT, PERSONAL, SECRET
_CONTENT = {"id": _ID, "slug": _NP, "title": _NP, "origin": _NP, "source_path": _NP,
            "content_hash": _NP, "synced_at": _NP, "retired_at": _NP}
_CONTENT_ERASURE = "Curriculum written by staff about no one in particular: kept."

register_table("users", {
    "id": _ID, "username": _PD, "display_name": _PD, "role": _NP, "password_hash": _SC,
    "email": _PD, "phone": _PD, "organisation_id": _ID, "locale": _PD, "active": _NP,
    "created_at": _NP, "erased_at": _NP, "page_stamp": _NP,
}, "Username and name become 'erased-<id>' and 'Peserta <id> (dihapus)'; email, phone, "
   "language and password removed; the account can no longer sign in.",
   lambda u: User.id == u.id, "account")
register_table("site_stamps", {"id": _ID, "stamp": _NP},
               "A random number that changes with the site's pages, about no one: kept.")
register_table("organisations", {"id": _ID, "name": _NP, "created_at": _NP},
               "An organisation is not a person: kept.")
register_table("activation_codes", {
    "id": _ID, "user_id": _ID, "code_hash": _SC, "created_by": _ID, "created_at": _NP,
    "expires_at": _NP, "used_at": _NP}, "Deleted.", lambda u: ActivationCode.user_id == u.id)
register_table("login_sessions", {
    "id": _ID, "token": _SC, "user_id": _ID, "created_at": _NP, "revoked_at": _NP},
    "Every sign-in is ended; the retention purge deletes ended ones.",
    lambda u: LoginSession.user_id == u.id, "sign_in_sessions")
register_table("login_throttles", {"key": _PD, "failures": _NP, "window_started_at": _NP},
               "The person's rows (keyed by username) are deleted; rows keyed by address "
               "are purged after the throttle window.",
               lambda u: LoginThrottle.key.in_(_throttle_keys(u.username)))
register_table("audit_log", {
    "id": _ID, "seq": _NP, "at": _NP, "actor_id": _ID, "action": _NP, "target": _ID,
    "data": _ID, "subject_id": _ID, "organisation_id": _ID, "prev_hash": _NP, "hash": _NP},
    "Never rewritten (the hash chain proves it): entries hold ids, states and counts, "
    "never text about the person.", lambda u: AuditEntry.subject_id == u.id, "audit_log")
for _table in ("tracks", "modules", "quizzes", "roleplays"):
    register_table(_table, {}, _CONTENT_ERASURE)   # columns filled in below from the models
register_table("quiz_versions", {"id": _ID, "quiz_slug": _NP, "content_hash": _NP,
                                 "definition": _NP, "created_at": _NP}, _CONTENT_ERASURE)
register_table("roleplay_versions", {}, _CONTENT_ERASURE)
register_table("module_progress", {"id": _ID, "user_id": _ID, "module_slug": _NP, "read_at": _NP},
               "Kept (counts towards module completion).", lambda u: ModuleProgress.user_id == u.id)
register_table("attempts", {
    "id": _ID, "user_id": _ID, "quiz_slug": _NP, "quiz_version_id": _ID, "kind": _NP,
    "number": _NP, "status": _NP, "layout": _NP, "answers": _FT, "credits": _NP, "module_percents": _NP,
    "score_points": _NP, "max_points": _NP, "score_percent": _NP, "passed": _NP,
    "started_at": _NP, "updated_at": _NP, "submitted_at": _NP, "graded_at": _NP},
    "Every typed answer (essay, short, numeric) is blanked, except a short or numeric "
    "answer that is right (the curriculum's text, so regrading stays true); choices and "
    "scores are kept.", lambda u: Attempt.user_id == u.id)
register_table("essay_reviews", {
    "id": _ID, "attempt_id": _ID, "question_index": _NP, "criterion_points": _NP,
    "comment": _FT, "reason": _FT, "reviewer_id": _ID, "reviewed_at": _NP},
    "The reviewer's comment and reason for regrading are blanked (they may quote the essay); "
    "points are kept.",
    lambda u: EssayReview.attempt_id.in_(sa.select(Attempt.id).where(Attempt.user_id == u.id)))
register_table("essay_review_history", {
    "id": _ID, "review_id": _ID, "criterion_points": _NP, "comment": _FT, "reason": _FT,
    "reviewer_id": _ID, "reviewed_at": _NP, "replaced_at": _NP},
    "Earlier comments and the reasons for regrading are blanked (they may quote the essay); "
    "earlier points are kept.",
    lambda u: EssayReviewHistory.review_id.in_(sa.select(EssayReview.id).join(
        Attempt, Attempt.id == EssayReview.attempt_id).where(Attempt.user_id == u.id)))
register_table("cohorts", {
    "id": _ID, "organisation_id": _ID, "name": _NP, "track_slug": _NP, "starts_on": _NP,
    "ends_on": _NP, "required_module_slugs": _NP, "created_at": _NP},
    "A cohort is not a person: kept.")
register_table("enrollments", {"id": _ID, "cohort_id": _ID, "user_id": _ID, "enrolled_at": _NP},
               "Kept: the person still counts in the cohort's figures, as 'Peserta <id>'.",
               lambda u: Enrollment.user_id == u.id)
register_table("cohort_facilitators", {"cohort_id": _ID, "user_id": _ID},
               "Kept (which staff ran which cohort).", lambda u: CohortFacilitator.user_id == u.id)
register_table("training_sessions", {
    "id": _ID, "cohort_id": _ID, "held_on": _NP, "starts_at": _NP, "topic": _NP,
    "module_slugs": _NP, "place": _NP, "created_at": _NP},
    "A session's topic and place are about the training, not a person: kept.")
register_table("attendance", {"session_id": _ID, "user_id": _ID, "status": _NP,
                              "recorded_by": _ID, "recorded_at": _NP},
               "Kept (attendance rates).", lambda u: Attendance.user_id == u.id)
register_table("action_plans", {
    "id": _ID, "cohort_id": _ID, "user_id": _ID, "activities": _FT, "target": _FT,
    "timeline": _FT, "support_needed": _FT, "state": _NP, "reviewer_comment": _FT,
    "reviewed_by": _ID, "submitted_at": _NP, "reviewed_at": _NP, "updated_at": _NP},
    "The four RTL texts are blanked and the reviewer's comment emptied; the state is kept.",
    lambda u: ActionPlan.user_id == u.id)
register_table("practice_entries", {
    "id": _ID, "cohort_id": _ID, "user_id": _ID, "done_on": _NP, "kind": _NP,
    "description": _FT, "signed_off_by": _ID, "signed_off_at": _NP, "mentor_comment": _FT,
    "returned_at": _NP, "created_at": _NP},
    "The description is blanked and the mentor's comment emptied; sign-off is kept.",
    lambda u: PracticeEntry.user_id == u.id, "field_practice")
register_table("roleplay_runs", {
    "id": _ID, "cohort_id": _ID, "version_id": _ID, "session_id": _ID, "state": _NP,
    "group_count": _NP, "debrief_notes": _FT, "created_by": _ID, "created_at": _NP,
    "started_at": _NP, "ended_at": _NP},
    "A run belongs to its group: the facilitator's debrief notes of runs the person took "
    "part in keep their words, with the person's names removed.")
register_table("roleplay_participants", {"id": _ID, "run_id": _ID, "user_id": _ID,
                                         "group_number": _NP, "role_name": _NP},
               "Kept (role-plays taken part in count towards certification).",
               lambda u: RunParticipant.user_id == u.id, "roleplay_runs")
register_table("roleplay_observations", {
    "id": _ID, "run_id": _ID, "observer_id": _ID, "ticks": _NP, "notes": _FT, "updated_at": _NP},
    "Notes the person wrote as observer are emptied, and so are other observers' notes on "
    "the role the person played; ticks are kept.",
    lambda u: RunObservation.observer_id == u.id)


def _content_columns(table_name: str, columns: dict[str, str]) -> dict[str, str]:
    """Content tables hold the curriculum: every column but the links is not personal."""
    table = db.metadata.tables[table_name]
    named = {c.name: (_ID if c.name == "id" or c.name.endswith("_by") or c.name.endswith("_id")
                      else _NP) for c in table.columns}
    return {**named, **_CONTENT, **columns} if "slug" in table.columns else {**named, **columns}


def content_tables_filled() -> None:
    """Fill the content tables' columns from the models (called once the schema is known)."""
    for name in ("tracks", "modules", "quizzes", "roleplays", "roleplay_versions"):
        if name in db.metadata.tables and not TABLES[name].columns:
            entry = TABLES[name]
            TABLES[name] = TableData(_content_columns(name, {}), entry.erasure)


def _throttle_keys(username: str) -> list[str]:
    return [f"account:{username}", f"account:activate:{username}"]


def _plain(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def rows_of(model_or_table, *where, exclude=()) -> list[dict]:
    table = getattr(model_or_table, "__table__", model_or_table)
    columns = [c for c in table.columns if c.name not in exclude]
    return [{c.name: _plain(row._mapping[c]) for c in columns}
            for row in db.session.execute(sa.select(*columns).where(*where))]


def export_person(user: User) -> dict:
    """Everything the registry lists for the person, as JSON-ready data (secrets left out)."""
    content_tables_filled()
    data: dict = {"exported_at": utcnow().isoformat(),
                  "organisation": user.organisation.name if user.organisation else None,
                  "cohorts": [{"id": c.id, "name": c.name, "track": c.track_slug}
                              for c in db.session.scalars(
                                  sa.select(Cohort).join(Enrollment, Enrollment.cohort_id == Cohort.id)
                                  .where(Enrollment.user_id == user.id))]}
    for name, entry in TABLES.items():
        if entry.whose is None:
            continue
        secrets = [c for c, kind in entry.columns.items() if kind == SECRET]
        rows = rows_of(db.metadata.tables[name], entry.whose(user), exclude=secrets)
        (data.setdefault(entry.group, {}) if entry.group else data)[entry.key] = rows
    account = data["account"][0] if data["account"] else {}
    account["has_password"] = user.password_hash is not None
    data["account"] = account
    for name, export, _erase in PERSON_DATA:
        if export is not None:
            data[name] = export(user)
    return data


def erase_person(user: User, actor_id: int | None = None) -> None:
    """Anonymise a person and blank what they wrote and what was written about their work;
    their numbers keep counting. Logged (the entry holds no name)."""
    now = utcnow()
    names = [n for n in (user.username, user.display_name, *_extra_names(user)) if n]
    old_username = user.username
    user.username = f"erased-{user.id}"
    user.display_name = f"Peserta {user.id} (dihapus)"
    user.email = user.phone = user.password_hash = user.locale = None
    user.active, user.erased_at = False, now
    db.session.execute(sa.update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)).values(revoked_at=now))
    db.session.execute(sa.delete(ActivationCode).where(ActivationCode.user_id == user.id))
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key.in_(_throttle_keys(old_username))))
    attempt_ids = []
    for attempt in db.session.scalars(sa.select(Attempt).where(Attempt.user_id == user.id)):
        attempt.answers = _blank_free_text(attempt)
        attempt_ids.append(attempt.id)
    if attempt_ids:
        # A reviewer's comment may quote the essay.
        db.session.execute(sa.update(EssayReview).where(EssayReview.attempt_id.in_(attempt_ids))
                           .values(comment="", reason=None))
        db.session.execute(sa.update(EssayReviewHistory).where(EssayReviewHistory.review_id.in_(
            sa.select(EssayReview.id).where(EssayReview.attempt_id.in_(attempt_ids))))
            .values(comment="", reason=None))
    db.session.execute(sa.update(ActionPlan).where(ActionPlan.user_id == user.id).values(
        activities=ERASED_TEXT, target=ERASED_TEXT, timeline=ERASED_TEXT, support_needed=ERASED_TEXT,
        reviewer_comment=""))
    db.session.execute(sa.update(PracticeEntry).where(PracticeEntry.user_id == user.id).values(
        description=ERASED_TEXT, mentor_comment=""))  # a mentor's comment may quote the entry
    _erase_from_roleplays(user, names)
    for _name, _export, erase in PERSON_DATA:
        erase(user)
    audit.person_action("person.erased", user.id, actor_id, user.organisation_id)
    db.session.flush()
    db.session.info[_CHECKPOINT] = True


def _extra_names(user: User) -> list[str]:
    """Other names the person is known by (a printed name), from the tables that hold them."""
    if "printed_names" not in db.metadata.tables:
        return []
    table = db.metadata.tables["printed_names"]
    return list(db.session.scalars(sa.select(table.c.name).where(table.c.user_id == user.id)))


def without_names(text: str, names: list[str]) -> str:
    """The text with every whole-word occurrence of the names (any case) replaced."""
    for name in sorted({" ".join(n.split()) for n in names if len(n.strip()) >= 3}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", ERASED_TEXT, text, flags=re.IGNORECASE)
    return text


def _erase_from_roleplays(user: User, names: list[str]) -> None:
    # Notes an observer wrote about other players; the ticks keep counting.
    db.session.execute(sa.update(RunObservation).where(RunObservation.observer_id == user.id).values(
        notes={}))
    played = list(db.session.scalars(sa.select(RunParticipant).where(RunParticipant.user_id == user.id)))
    for me in played:
        run = db.session.get(RolePlayRun, me.run_id)
        if run.debrief_notes:
            run.debrief_notes = {k: without_names(v, names) for k, v in run.debrief_notes.items()}
        if me.role_name is None:
            continue
        # Other observers of the person's group wrote about the role the person played.
        group = sa.select(RunParticipant.user_id).where(RunParticipant.run_id == run.id,
                                                        RunParticipant.group_number == me.group_number)
        for seen in db.session.scalars(sa.select(RunObservation).where(
                RunObservation.run_id == run.id, RunObservation.observer_id.in_(group))):
            notes = {k: without_names(v, names) for k, v in (seen.notes or {}).items() if k != me.role_name}
            if notes != seen.notes:
                seen.notes = notes


def _blank_free_text(attempt: Attempt) -> dict:
    """Answers without anything the person typed (a numeric answer keeps only its number,
    a short answer only when it is one of the accepted answers); choices stay."""
    questions = attempt.version.definition["questions"]
    answers = dict(attempt.answers or {})
    for key, value in answers.items():
        question = questions[int(key)] if int(key) < len(questions) else {}
        answers[key] = _blank_answer(question, value)
    return answers


def _blank_answer(question: dict, value):
    if isinstance(value, str):
        # A short or numeric answer that is right is the curriculum's text, not the person's.
        kind = QUESTION_TYPES.get(question.get("type", ""))
        if question.get("type") in ("short", "numeric") and kind.grade(question, value) == 1.0:
            return value
        return ERASED_TEXT if value.strip() else value
    if isinstance(value, list):
        return [_blank_answer({}, v) for v in value]
    if isinstance(value, dict):
        return {k: _blank_answer({}, v) for k, v in value.items()}
    return value


# After an erasure commits, SQLite's write-ahead log still holds the pages as they were
# before: copy them into the database and empty the log, so the old text is gone from disk.
_CHECKPOINT = "lms_checkpoint_after_commit"


@sa.event.listens_for(Session, "after_commit")
def _checkpoint_after_erasure(session: Session) -> None:
    if not session.info.pop(_CHECKPOINT, False):
        return
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@sa.event.listens_for(Session, "after_rollback")
def _no_checkpoint_after_rollback(session: Session) -> None:
    session.info.pop(_CHECKPOINT, None)
