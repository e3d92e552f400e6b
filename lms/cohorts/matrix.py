"""The cohort completion matrix: trainees by required modules, plus attendance, tests, RTL
and field practice. A fixed number of queries whatever the cohort's size."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment.reports import track_gain
from lms.cohorts.attendance import attendance_rates
from lms.cohorts.models import Cohort, Enrollment
from lms.extensions import db
from lms.learning.completion import ModuleState, completion_states
from lms.learning.models import Module, Track
from lms.practice.models import ActionPlan, PracticeEntry


@dataclass
class MatrixRow:
    user: User
    states: list[ModuleState]
    attendance: float | None
    pre: float | None
    post: float | None
    gain: float | None
    rtl: str                 # a ReviewState, or "none"
    practice_signed: int
    practice_total: int

    @property
    def modules_complete(self) -> bool:
        return all(s == ModuleState.COMPLETE for s in self.states)


@dataclass
class Matrix:
    cohort: Cohort
    track: Track | None
    modules: list[Module]
    rows: list[MatrixRow]

    @property
    def completion_rate(self) -> float | None:
        """Share of trainees who completed every required module."""
        if not self.rows:
            return None
        return sum(1 for r in self.rows if r.modules_complete) / len(self.rows)

    def module_counts(self) -> list[Counter]:
        """Per module, how many trainees are in each state."""
        return [Counter(r.states[i] for r in self.rows) for i in range(len(self.modules))]


def track_modules(track_slug: str) -> list[Module]:
    """The active modules of a track, in order."""
    return list(db.session.scalars(sa.select(Module).where(
        Module.track_slug == track_slug, Module.retired_at.is_(None)).order_by(Module.order)))


def required_modules(cohort: Cohort) -> list[Module]:
    """The cohort's required modules in track order (all active ones when unspecified)."""
    modules = track_modules(cohort.track_slug)
    if cohort.required_module_slugs:
        chosen = set(cohort.required_module_slugs)
        modules = [m for m in modules if m.slug in chosen]
    return modules


def cohort_trainees(cohort_id: int) -> list[User]:
    """Enrolled trainees, by display name."""
    return list(db.session.scalars(
        sa.select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == cohort_id).order_by(User.display_name, User.id)))


def _practice(cohort_id: int) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        sa.select(PracticeEntry.user_id, sa.func.count(PracticeEntry.signed_off_at), sa.func.count())
        .where(PracticeEntry.cohort_id == cohort_id).group_by(PracticeEntry.user_id))
    return {user_id: (signed, total) for user_id, signed, total in rows}


def build_matrix(cohort: Cohort) -> Matrix:
    """Everything the cohort page shows, in about ten queries."""
    track = db.session.scalar(sa.select(Track).where(Track.slug == cohort.track_slug))
    modules = required_modules(cohort)
    trainees = cohort_trainees(cohort.id)
    ids = [u.id for u in trainees]
    states = completion_states(ids, modules)
    rates = attendance_rates(cohort.id, ids)
    _group, gains = track_gain(ids, track) if track else (None, {})
    plans = {user_id: state for user_id, state in db.session.execute(
        sa.select(ActionPlan.user_id, ActionPlan.state).where(ActionPlan.cohort_id == cohort.id))}
    practice = _practice(cohort.id)
    rows = []
    for user in trainees:
        gain = gains.get(user.id)
        signed, total = practice.get(user.id, (0, 0))
        rows.append(MatrixRow(user=user, states=[states[(user.id, m.slug)] for m in modules],
                              attendance=rates.get(user.id), pre=gain.pre if gain else None,
                              post=gain.post if gain else None, gain=gain.gain if gain else None,
                              rtl=plans.get(user.id, "none"), practice_signed=signed,
                              practice_total=total))
    return Matrix(cohort, track, modules, rows)


def matrix_csv_rows(matrix: Matrix) -> list[list[str]]:
    """The matrix as CSV rows (header first); numbers as plain decimals for spreadsheets."""
    def num(value, scale=1.0):
        return "" if value is None else f"{value * scale:.1f}"
    header = (["username", "display_name"] + [m.slug for m in matrix.modules] +
              ["attendance_percent", "pretest_percent", "posttest_percent", "gain", "rtl",
               "practice_signed", "practice_total", "modules_complete"])
    out = [header]
    for r in matrix.rows:
        out.append([r.user.username, r.user.display_name] + [str(s) for s in r.states] +
                   [num(r.attendance, 100), num(r.pre), num(r.post),
                    "" if r.gain is None else f"{r.gain:.2f}", r.rtl, str(r.practice_signed),
                    str(r.practice_total), "yes" if r.modules_complete else "no"])
    return out
