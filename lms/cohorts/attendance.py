"""Attendance: recording it and the rate per trainee."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from lms.cohorts.models import Attendance, AttendanceStatus, TrainingSession
from lms.extensions import db
from lms.timeutil import utcnow


def record_attendance(training_session: TrainingSession, statuses: dict[int, str], recorded_by: int) -> int:
    """Store present/excused/absent per trainee for one session; returns how many were set."""
    existing = {a.user_id: a for a in db.session.scalars(
        sa.select(Attendance).where(Attendance.session_id == training_session.id))}
    count = 0
    for user_id, status in statuses.items():
        if status not in AttendanceStatus.ALL:
            continue
        row = existing.get(user_id)
        if row is None:
            row = Attendance(session_id=training_session.id, user_id=user_id)
            db.session.add(row)
        row.status, row.recorded_by, row.recorded_at = status, recorded_by, utcnow()
        count += 1
    db.session.flush()
    return count


def attendance_rate(present: int, excused: int, taken: int) -> float | None:
    """Share of sessions attended, not counting sessions the trainee was excused from.

    Only sessions where attendance was taken count; None until there is one.
    """
    expected = taken - excused
    if taken == 0:
        return None
    return present / expected if expected > 0 else 1.0


@dataclass(frozen=True)
class AttendanceCount:
    """A trainee's attendance in one cohort: sessions present, excused, and taken."""

    present: int = 0
    excused: int = 0
    taken: int = 0  # sessions of the cohort where attendance was taken

    @property
    def rate(self) -> float | None:
        return attendance_rate(self.present, self.excused, self.taken)


# One round trip, built once: a first row (no user) with the number of the cohort's sessions
# where attendance was taken, then per trainee and status how many sessions.
_IN_COHORT = (sa.select(Attendance.session_id, Attendance.user_id, Attendance.status)
              .join(TrainingSession, TrainingSession.id == Attendance.session_id)
              .where(TrainingSession.cohort_id == sa.bindparam("cohort_id")).subquery())
_COUNTS = sa.union_all(
    # Sessions with any attendance row: a probe of the index per session, where counting
    # distinct sessions over the rows would read every trainee's (40,000 rows at 10,000).
    sa.select(sa.null(), sa.null(), sa.func.count())
    .where(TrainingSession.cohort_id == sa.bindparam("cohort_id"),
           sa.exists().where(Attendance.session_id == TrainingSession.id)),
    sa.select(_IN_COHORT.c.user_id, _IN_COHORT.c.status, sa.func.count())
    # Only these trainees' rows: a page of 50 of a 10,000-trainee cohort reads 50 people's.
    .where(_IN_COHORT.c.user_id.in_(sa.bindparam("user_ids", expanding=True)))
    .group_by(_IN_COHORT.c.user_id, _IN_COHORT.c.status))


def attendance_counts(cohort_id: int, user_ids: list[int]) -> dict[int, AttendanceCount]:
    """Attendance per trainee for a cohort, in one query."""
    counts: dict[int, Counter] = {u: Counter() for u in user_ids}
    taken = 0
    for user_id, status, n in db.session.execute(_COUNTS, {"cohort_id": cohort_id, "user_ids": list(user_ids)}):
        if user_id is None:
            taken = n
        elif user_id in counts:
            counts[user_id][status] = n
    return {u: AttendanceCount(c[AttendanceStatus.PRESENT], c[AttendanceStatus.EXCUSED], taken)
            for u, c in counts.items()}


def session_counts(session_ids: list[int]) -> dict[int, Counter]:
    """Per session, how many trainees were present, excused and absent (one query)."""
    counts: dict[int, Counter] = {session_id: Counter() for session_id in session_ids}
    if session_ids:
        rows = db.session.execute(
            sa.select(Attendance.session_id, Attendance.status, sa.func.count())
            .where(Attendance.session_id.in_(session_ids))
            .group_by(Attendance.session_id, Attendance.status))
        for session_id, status, n in rows:
            counts[session_id][status] = n
    return counts
