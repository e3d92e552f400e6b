"""The facts about a cohort's trainees, in one place.

Everything the completion matrix and certification read about a trainee (module states,
attendance, pre/post scores and gain, RTL state, signed-off field practice, role-plays
taken part in) is gathered here for a whole cohort in a fixed number of queries, so both
read the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment.analytics import GainReport
from lms.assessment.completion import ModuleState, completion_states
from lms.assessment.reports import track_gain
from lms.cohorts.attendance import AttendanceCount, attendance_counts
from lms.cohorts.enrolment import cohort_trainees
from lms.cohorts.models import Cohort
from lms.cohorts.requirements import cohort_required_modules
from lms.extensions import db
from lms.learning.models import Module, Track
from lms.practice.models import ActionPlan, PracticeEntry
from lms.roleplays.runs import cohort_participation

NO_PLAN = "none"


@dataclass
class TraineeFacts:
    """What one trainee of a cohort has done so far."""

    user: User
    states: list[ModuleState]        # per required module, in track order
    attendance: AttendanceCount
    pre: float | None                # percent
    post: float | None               # percent
    gain: float | None               # normalised gain (Hake's g)
    rtl: str                         # a ReviewState, or NO_PLAN
    practice_signed: int
    practice_total: int
    roleplays_taken: int = 0         # role-play runs taken part in

    @property
    def modules_complete(self) -> bool:
        return all(s == ModuleState.COMPLETE for s in self.states)

    @property
    def modules_done(self) -> int:
        return sum(1 for s in self.states if s == ModuleState.COMPLETE)


@dataclass
class CohortFacts:
    """The facts of every trainee of a cohort, with the modules they are measured against."""

    cohort: Cohort
    track: Track | None
    modules: list[Module]
    trainees: list[TraineeFacts] = field(default_factory=list)
    gain: GainReport | None = None   # the group's, over those who took both tests

    def of(self, user_id: int) -> TraineeFacts | None:
        return next((t for t in self.trainees if t.user.id == user_id), None)


def _practice(cohort_id: int, user_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    query = (sa.select(PracticeEntry.user_id, sa.func.count(PracticeEntry.signed_off_at), sa.func.count())
             .where(PracticeEntry.cohort_id == cohort_id).group_by(PracticeEntry.user_id))
    if user_ids is not None:
        query = query.where(PracticeEntry.user_id.in_(user_ids))
    rows = db.session.execute(query)
    return {user_id: (signed, total) for user_id, signed, total in rows}


def _plans(cohort_id: int, user_ids: list[int] | None = None) -> dict[int, str]:
    query = sa.select(ActionPlan.user_id, ActionPlan.state).where(ActionPlan.cohort_id == cohort_id)
    if user_ids is not None:
        query = query.where(ActionPlan.user_id.in_(user_ids))
    return dict(db.session.execute(query).all())


def cohort_facts(cohort: Cohort, trainees: list[User] | None = None, *, track: Track | None = None,
                 modules: list[Module] | None = None, states: dict | None = None,
                 gain: tuple | None = None) -> CohortFacts:
    """The facts of a cohort's trainees (all enrolled, or those given), in about ten queries.

    A caller that already read the cohort's track, its required modules, the trainees' states
    in them (by (user id, module slug)) or the track's `track_gain` for them hands them over,
    and they are not read again (a trainee's home has them all)."""
    if track is None:
        track = db.session.scalar(sa.select(Track).where(Track.slug == cohort.track_slug))
    if modules is None:
        modules = cohort_required_modules(cohort)
    # A trainee's own home asks for one person: read only their rows, whatever the cohort's size.
    only = None if trainees is None else [u.id for u in trainees]
    trainees = cohort_trainees(cohort.id) if trainees is None else trainees
    ids = [u.id for u in trainees]
    if states is None:
        states = completion_states(ids, modules)
    attendance = attendance_counts(cohort.id, ids)
    if gain is None:
        gain = track_gain(ids, track) if track else (None, {})
    group, gains = gain
    plans, practice = _plans(cohort.id, only), _practice(cohort.id, only)
    roleplays = cohort_participation(cohort.id, only)
    facts = CohortFacts(cohort, track, modules, gain=group)
    for user in trainees:
        gain = gains.get(user.id)
        signed, total = practice.get(user.id, (0, 0))
        facts.trainees.append(TraineeFacts(
            user=user, states=[states[(user.id, m.slug)] for m in modules],
            attendance=attendance.get(user.id, AttendanceCount()),
            pre=gain.pre if gain else None, post=gain.post if gain else None,
            gain=gain.gain if gain else None, rtl=plans.get(user.id, NO_PLAN),
            practice_signed=signed, practice_total=total, roleplays_taken=roleplays[user.id]))
    return facts
