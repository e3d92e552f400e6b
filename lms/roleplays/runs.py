"""Running a role-play live: groups, roles, observers, the timer, ticks and debrief notes.

The rules that decide (splitting into groups, assigning roles, counting participation) are
plain functions on plain values; the operations below them load and store. Flush, never
commit.
"""
from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple, TypeVar

import sqlalchemy as sa

from lms.cohorts.models import Attendance, AttendanceStatus, Cohort, TrainingSession
from lms.extensions import db
from lms.roleplays.models import (
    RolePlay,
    RolePlayRun,
    RolePlayVersion,
    RunObservation,
    RunParticipant,
    RunState,
)
from lms.timeutil import utcnow

T = TypeVar("T")
RANDOM, BALANCED, BY_HAND = "random", "balanced", "hand"
ASSIGN_METHODS = (RANDOM, BALANCED, BY_HAND)
OBSERVER = "observer"


class RunError(ValueError):
    """A change the run's state or its rules do not allow."""


# --- rules ---------------------------------------------------------------------------------

def split_groups(people: Sequence[T], groups: int | None = None, size: int | None = None,
                 rng: random.Random | None = None) -> list[list[T]]:
    """Split people into `groups` groups, or into groups of about `size` people. Group
    sizes differ by at most one; people are shuffled first when `rng` is given."""
    people = list(people)
    if not people:
        return []
    if groups is None:
        if not size or size < 1:
            raise ValueError("give a number of groups or a group size")
        groups = math.ceil(len(people) / size)
    groups = max(1, min(groups, len(people)))
    if rng is not None:
        rng.shuffle(people)
    base, extra = divmod(len(people), groups)
    out, start = [], 0
    for index in range(groups):
        end = start + base + (1 if index < extra else 0)
        out.append(people[start:end])
        start = end
    return out


def assign_in_order(group: Sequence[T], roles: Sequence[str]) -> dict[T, str | None]:
    """The first members get the roles in order; the rest observe (a start for by hand)."""
    return {person: (roles[i] if i < len(roles) else None) for i, person in enumerate(group)}


def assign_random(group: Sequence[T], roles: Sequence[str], rng: random.Random) -> dict[T, str | None]:
    """Random roles; members beyond the number of roles observe."""
    members = list(group)
    rng.shuffle(members)
    return assign_in_order(members, roles)


def assign_balanced(group: Sequence[T], roles: Sequence[str], history: dict[T, Counter],
                    rng: random.Random) -> dict[T, str | None]:
    """Roles that rotate across runs. `history[person]` counts the roles a person played
    before (role name -> times; key None counts the times they observed).

    Who plays: those who have played least so far (ties: who observed most); the rest
    observe. Which role: people who have played a role before choose first and get the
    free role they have played least, so they get another one than last time; ties keep
    the role-play's order of roles."""
    members = list(group)
    rng.shuffle(members)   # fair ties

    def plays(person) -> int:
        return sum(n for role, n in history.get(person, Counter()).items() if role is not None)

    members.sort(key=lambda p: (plays(p), -history.get(p, Counter())[None]))
    players, observers = members[:len(roles)], members[len(roles):]
    result: dict[T, str | None] = {person: None for person in observers}
    players.sort(key=lambda p: -plays(p))
    for person, role in zip(players, _fewest_repeats(players, roles, history)):
        result[person] = role
    return result


def _fewest_repeats(players: list, roles: Sequence[str], history: dict) -> tuple[str, ...]:
    """The roles for `players` (in order) that repeat the fewest roles already played; the
    earlier players' preferences win ties. Exhaustive for up to 7 players, else greedy."""
    def seen(person, role) -> int:
        return history.get(person, Counter())[role]

    if len(players) <= 7:
        return min(itertools.permutations(roles, len(players)),
                   key=lambda pick: (sum(seen(p, r) for p, r in zip(players, pick)),
                                     [seen(p, r) for p, r in zip(players, pick)],
                                     [roles.index(r) for r in pick]))
    free, pick = list(roles), []
    for person in players:
        role = min(free, key=lambda r: (seen(person, r), roles.index(r)))
        free.remove(role)
        pick.append(role)
    return tuple(pick)


def count_participation(rows: Iterable[tuple[int, int, str]]) -> Counter:
    """Runs taken part in per person, from (run id, user id, run state) rows: a run counts
    once per person, as player or observer, unless it is still being set up."""
    return Counter(user_id for run_id, user_id in {(run_id, user_id) for run_id, user_id, state in rows
                                                     if state != RunState.SETUP})


def ticks_received(participants: Iterable[RunParticipant],
                   observations: Iterable[RunObservation]) -> Counter:
    """Checklist ticks each player received: the ticks of the observers of their group."""
    participants = list(participants)
    group_of = {p.user_id: p.group_number for p in participants}
    per_group = Counter()
    for observation in observations:
        if observation.observer_id in group_of:
            per_group[group_of[observation.observer_id]] += len(observation.ticks or [])
    return Counter({p.user_id: per_group[p.group_number] for p in participants if not p.observer})


def time_left(run: RolePlayRun, duration_minutes: int | None, now: datetime | None = None) -> int | None:
    """Whole minutes left on the run's timer (0 when over), None without a timer."""
    if run.started_at is None or not duration_minutes:
        return None
    ends = run.started_at + timedelta(minutes=duration_minutes)
    return max(0, math.ceil(((ends - (now or utcnow())).total_seconds()) / 60))


# --- reading -------------------------------------------------------------------------------

def role_history(user_ids: list[int], roleplay_id: int) -> dict[int, Counter]:
    """What each person did in earlier runs of this role-play (any version), one query."""
    history: dict[int, Counter] = {user_id: Counter() for user_id in user_ids}
    if not user_ids:
        return history
    rows = db.session.execute(
        sa.select(RunParticipant.user_id, RunParticipant.role_name)
        .join(RolePlayRun, RolePlayRun.id == RunParticipant.run_id)
        .join(RolePlayVersion, RolePlayVersion.id == RolePlayRun.version_id)
        .where(RolePlayVersion.roleplay_id == roleplay_id, RunParticipant.user_id.in_(user_ids),
               RolePlayRun.state != RunState.SETUP))
    for user_id, role in rows:
        history[user_id][role] += 1
    return history


def cohort_participation(cohort_id: int, user_ids: list[int] | None = None) -> Counter:
    """Role-play runs taken part in per trainee of a cohort (or of those of its trainees
    given), in one query."""
    query = (sa.select(RunParticipant.run_id, RunParticipant.user_id, RolePlayRun.state)
             .join(RolePlayRun, RolePlayRun.id == RunParticipant.run_id)
             .where(RolePlayRun.cohort_id == cohort_id))
    if user_ids is not None:
        query = query.where(RunParticipant.user_id.in_(user_ids))
    return count_participation(db.session.execute(query))


def participants_of(run_id: int) -> list[RunParticipant]:
    return list(db.session.scalars(sa.select(RunParticipant).where(RunParticipant.run_id == run_id)
                                   .order_by(RunParticipant.group_number, RunParticipant.id)))


def present_in_session(session_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(Attendance.user_id).where(
        Attendance.session_id == session_id, Attendance.status == AttendanceStatus.PRESENT)))


class MyRun(NamedTuple):
    """A run as a trainee's home lists it."""

    id: int
    title: str
    state: str


# Built once, of the columns the list shows: the run entity would bring its version's whole
# text (scenario, roles, checklists: JSON to decode) for a title.
_MY_RUNS = (sa.select(RolePlayRun.id, RolePlayVersion.title, RolePlayRun.state)
            .join(RolePlayVersion, RolePlayVersion.id == RolePlayRun.version_id)
            .join(RunParticipant, RunParticipant.run_id == RolePlayRun.id)
            .where(RunParticipant.user_id == sa.bindparam("user_id")).order_by(RolePlayRun.id.desc()).limit(10))


def my_runs(user_id: int) -> list[MyRun]:
    """A trainee's runs for the home page, newest first (one query)."""
    return [MyRun(*row) for row in db.session.execute(_MY_RUNS, {"user_id": user_id})]


# --- operations ----------------------------------------------------------------------------

def start_run(cohort: Cohort, version: RolePlayVersion, user_ids: list[int], *,
              groups: int | None = None, size: int | None = None, method: str = RANDOM,
              session: TrainingSession | None = None, created_by: int | None = None,
              rng: random.Random | None = None) -> RolePlayRun:
    """A run in setup: the people split into groups and given roles (or to observe)."""
    if method not in ASSIGN_METHODS:
        raise RunError(f"unknown assignment {method!r}")
    if not user_ids:
        raise RunError("nobody takes part")
    rng = rng or random.Random()  # noqa: S311 - who plays whom, not a secret
    ids = sorted(set(user_ids))
    split = split_groups(ids, groups=groups, size=size, rng=None if method == BY_HAND else rng)
    roles = version.role_names
    history = role_history(ids, version.roleplay_id) if method == BALANCED else {}
    run = RolePlayRun(cohort_id=cohort.id, version_id=version.id, state=RunState.SETUP,
                      session_id=session.id if session else None, group_count=len(split),
                      created_by=created_by, debrief_notes={})
    db.session.add(run)
    db.session.flush()
    for number, members in enumerate(split, start=1):
        if method == BALANCED:
            assigned = assign_balanced(members, roles, history, rng)
        elif method == RANDOM:
            assigned = assign_random(members, roles, rng)
        else:
            assigned = assign_in_order(members, roles)
        db.session.add_all([RunParticipant(run_id=run.id, user_id=user_id, group_number=number,
                                           role_name=role) for user_id, role in assigned.items()])
    db.session.flush()
    return run


def rearrange(run: RolePlayRun, changes: dict[int, tuple[int, str | None]]) -> None:
    """Move people between groups and roles (user id -> (group, role or None)) before the
    run starts. A role is played by at most one person per group."""
    if run.state != RunState.SETUP:
        raise RunError("the run has started: groups and roles are fixed")
    participants = {p.user_id: p for p in participants_of(run.id)}
    roles = set(run.version.role_names)
    for user_id, (group, role) in changes.items():
        if user_id not in participants or not 1 <= group <= max(run.group_count, 1) + 1:
            raise RunError("unknown person or group")
        if role is not None and role not in roles:
            raise RunError("unknown role")
        participants[user_id].group_number, participants[user_id].role_name = group, role
    taken = Counter((p.group_number, p.role_name) for p in participants.values() if p.role_name)
    doubled = sorted(key for key, n in taken.items() if n > 1)
    if doubled:
        group, role = doubled[0]
        raise RunError(f"group {group} has role {role} twice")
    run.group_count = max(p.group_number for p in participants.values())
    db.session.flush()


def go_live(run: RolePlayRun) -> None:
    """Start the run: trainees see their roles, the timer starts."""
    if run.state != RunState.SETUP:
        raise RunError("the run has already started")
    run.state, run.started_at = RunState.LIVE, utcnow()
    db.session.flush()


def end_run(run: RolePlayRun) -> None:
    if run.state != RunState.LIVE:
        raise RunError("only a live run can be ended")
    run.state, run.ended_at = RunState.ENDED, utcnow()
    db.session.flush()


def save_debrief(run: RolePlayRun, group: int, notes: str) -> None:
    if run.state == RunState.SETUP:
        raise RunError("the run has not started")
    if not 1 <= group <= run.group_count:
        raise RunError("unknown group")
    run.debrief_notes = {**(run.debrief_notes or {}), str(group): notes.strip()[:10000]}
    db.session.flush()


def save_observation(run: RolePlayRun, observer: RunParticipant, ticks: list[int],
                     notes: dict[str, str]) -> RunObservation:
    """An observer's ticks and notes per role (replacing their earlier ones)."""
    if run.state != RunState.LIVE:
        raise RunError("observations are taken while the run is live")
    if not observer.observer or observer.run_id != run.id:
        raise RunError("only observers of this run observe")
    items = len(run.version.observer_checklist)
    roles = set(run.version.role_names)
    row = db.session.scalar(sa.select(RunObservation).where(
        RunObservation.run_id == run.id, RunObservation.observer_id == observer.user_id))
    if row is None:
        row = RunObservation(run_id=run.id, observer_id=observer.user_id)
        db.session.add(row)
    row.ticks = sorted({t for t in ticks if 0 <= t < items})
    row.notes = {role: text.strip()[:5000] for role, text in notes.items() if role in roles and text.strip()}
    row.updated_at = utcnow()
    db.session.flush()
    return row


def runnable(roleplay: RolePlay, organisation_id: int) -> bool:
    """Shipped (active) role-plays, and the organisation's published ones, can be run."""
    if roleplay.retired_at is not None or not roleplay.published:
        return False
    return roleplay.organisation_id is None or roleplay.organisation_id == organisation_id


def runnable_roleplays(organisation_id: int) -> list[RolePlay]:
    return list(db.session.scalars(sa.select(RolePlay).where(
        RolePlay.retired_at.is_(None),
        sa.or_(RolePlay.organisation_id.is_(None),
               sa.and_(RolePlay.organisation_id == organisation_id,
                       RolePlay.published_at.is_not(None)))).order_by(RolePlay.title)))
