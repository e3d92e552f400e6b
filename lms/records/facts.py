"""The facts about a cohort's trainees, in one place.

Everything the completion matrix and certification read about a trainee (module states,
attendance, pre/post scores and gain, RTL state, signed-off field practice, role-plays
taken part in) is gathered here for a whole cohort in a fixed number of queries, so both
read the same numbers.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app

from lms.accounts.models import User
from lms.assessment.analytics import GainReport
from lms.assessment.completion import ModuleState, completion_masks, completion_states, modules_done
from lms.assessment.models import Attempt, AttemptStatus
from lms.assessment.reports import pre_post_pairs, track_gain, track_gains
from lms.cohorts.attendance import AttendanceCount, attendance_counts
from lms.cohorts.enrolment import cohort_trainees
from lms.cohorts.models import Attendance, AttendanceStatus, Cohort, Enrollment, TrainingSession
from lms.cohorts.requirements import cohort_required_modules
from lms.core.built_once import BuiltOnce
from lms.core.page_stamps import SITE_STAMP
from lms.extensions import db
from lms.learning.models import Module, Track
from lms.learning.progress import ModuleOutline
from lms.practice.models import ActionPlan, PracticeEntry
from lms.records import results_memo
from lms.records.results_memo import Results
from lms.roleplays.models import RolePlayRun, RunParticipant, RunState
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

    @property
    def modules_total(self) -> int:
        return len(self.states)

    @property
    def standing(self) -> Standing:
        return Standing(self.modules_done, self.modules_total, self.post, self.attendance, self.rtl,
                        self.practice_signed, self.roleplays_taken)


@dataclass(frozen=True)
class Standing:
    """The facts certification's rules read of a trainee, without who they are: equal
    standings get equal decisions, so a cohort's count is decided once per distinct one."""

    modules_done: int
    modules_total: int
    post: float | None
    attendance: AttendanceCount
    rtl: str
    practice_signed: int
    roleplays_taken: int
    # Hashed once: a cohort of 1,000 has hundreds of distinct standings (post-test scores
    # differ), each counted on every look at its summary.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_hash", hash((self.modules_done, self.modules_total, self.post, self.attendance,
                                                 self.rtl, self.practice_signed, self.roleplays_taken)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def modules_complete(self) -> bool:
        return self.modules_done == self.modules_total


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


def track_of(cohort: Cohort) -> Track | None:
    return db.session.scalar(sa.select(Track).where(Track.slug == cohort.track_slug))


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
        track = track_of(cohort)
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


def enrolled(cohort_id: int):
    """A select of the ids of the cohort's trainees (for IN (subquery), never an IN-list)."""
    return sa.select(Enrollment.user_id).where(Enrollment.cohort_id == cohort_id)


class Tally(NamedTuple):   # a tuple: a cohort's tally makes one per trainee, at C speed
    """How many of a cohort's trainees share these: which modules they completed (a mask
    over module positions), whether one awaits review, whether they have not activated
    their account, their standing, and whether they are among those `count_cohort` was asked
    to mark."""

    complete: int
    awaiting: bool
    inactive: bool
    standing: Standing
    count: int
    marked: bool = False


# The statements cost more to build than a small cohort's to run (a CASE per module in the
# masks): built once per modules, tests and filter, with the cohort or people as parameters.
_TALLIES: BuiltOnce[tuple] = BuiltOnce()
# Standings by (results' standing, modules, sessions taken), shared by counts: about 1 MB at most.
STANDINGS_KEPT = 5_000
_STANDINGS: dict[tuple, Standing] = {}

_ENROLLED = sa.select(Enrollment.user_id).where(Enrollment.cohort_id == sa.bindparam("tally_cohort_id"))
_CHOSEN = sa.select(User.id).where(User.id.in_(sa.bindparam("tally_user_ids", expanding=True)))
# PostgreSQL takes the ids as one array: the statement's text is then the same however many
# there are, so it is not written out again and parsed again on each look (10 of 20 ms).
_CHOSEN_ARRAY = sa.select(User.id).where(User.id == sa.any_(sa.bindparam("tally_user_ids",
                                                                           type_=sa.ARRAY(sa.Integer))))


@dataclass
class CohortCount:
    """A cohort's trainees counted: what its summary reads, and its `tally`."""

    members: list            # (id, stamps, not activated, sessions taken, marked) per trainee
    results: list[Results]   # theirs, in the same order
    standing_of: dict[tuple, Standing]
    pairs: list[tuple]              # `results_memo.compact_pair` of each trainee who took both tests
    standings: Counter[Standing]    # `standings_of(tally)`
    masks: Counter[int]             # trainees per set of completed modules
    awaiting: int                   # trainees with a module awaiting review
    inactive: int                   # trainees who have not activated their account

    @property
    def tally(self) -> list[Tally]:
        counts: Counter[tuple] = Counter()
        for (_id, _stamp, _site, not_active, _taken, mark), mine in zip(self.members, self.results, strict=True):
            counts[(mine.complete, mine.awaiting, bool(not_active), mine.standing, bool(mark))] += 1
        return [Tally(complete, waits, not_active, self.standing_of[key], n, mark)
                for (complete, waits, not_active, key, mark), n in counts.items()]


def count_cohort(cohort: Cohort, modules: list[Module], track: Track | None, marked=None) -> CohortCount:
    """The cohort's trainees counted by what the summary and certification read, those in
    `marked` (a select of user ids) counted apart (`CohortCount.tally`), with the pre/post-test
    pairs of the group's gain. Needs `masks_fit(modules)`. The same facts as `cohort_facts`, a
    row of numbers per trainee. `marked` is the same select object on every call (its statement
    is then built once per process) and may name the cohort as the bind parameter
    `tally_cohort_id`.

    One statement when no trainee's results changed since this process last counted them: the
    members with their stamps. Otherwise one more works out the results (completion masks,
    first graded pre- and post-test, attendance, plan, field practice, role-plays) of those
    whose stamps changed, by id, or of the whole cohort when they are more than a quarter.
    """
    tests = (track.pretest_slug, track.posttest_slug) if track is not None and track.pretest_slug \
        and track.posttest_slug else None
    shape = (cohort.id, modules_key(modules), tests)
    _marked, members = _TALLIES.get(("members", id(marked)), lambda: (marked, _members_query(marked)))
    rows = db.session.execute(members, {"tally_cohort_id": cohort.id}).all()
    # LMS_PAGE_CACHE=0 (docs/deployment.md) stops remembering results as it stops keeping pages.
    remember = current_app.config.get("LMS_PAGE_CACHE", True)
    known = results_memo.MEMO.of(shape) if remember else {}
    stale = [r[0] for r in rows if r[1] is None or r[2] is None
             or (k := known.get(r[0])) is None or k.person_stamp != r[1] or k.site_stamp != r[2]]
    found = _results(cohort, modules, track, shape, stale, whole=len(stale) * 4 > len(rows)) if stale else {}
    if current_app.config.get("LMS_PAGE_CACHE_CHECK") and len(stale) < len(rows):
        _check_known(cohort, modules, track, shape, {r[0]: known[r[0]].results for r in rows if r[0] not in found})
    if remember and found:
        results_memo.MEMO.keep(shape, {r[0]: results_memo.Known(r[1], r[2], found[r[0]]) for r in rows
                                       if r[0] in found and r[1] is not None and r[2] is not None})
    masks: Counter[int] = Counter()
    by_standing: Counter[tuple] = Counter()
    pairs = []
    awaiting = inactive = 0
    results = []
    for user_id, _stamp, _site, not_active, _taken, _mark in rows:
        mine = found.get(user_id) or known[user_id].results
        results.append(mine)
        masks[mine.complete] += 1
        by_standing[mine.standing] += 1
        awaiting += mine.awaiting
        inactive += not_active
        if mine.pair is not None:
            pairs.append(mine.pair)
    taken = int(rows[0][4]) if rows else 0
    # One standing object per distinct one (certification decides once per standing), kept
    # from one count to the next: most trainees' standings have not changed since.
    if len(_STANDINGS) > STANDINGS_KEPT:
        _STANDINGS.clear()
    standings = {}
    for key in by_standing:
        standing = _STANDINGS.get((key, len(modules), taken))
        if standing is None:
            standing = _STANDINGS[(key, len(modules), taken)] = Standing(
                key[0], len(modules), key[1], AttendanceCount(key[2], key[3], taken), *key[4:])
        standings[key] = standing
    counted: Counter[Standing] = Counter()
    for key, n in by_standing.items():
        counted[standings[key]] += n
    return CohortCount(rows, results, standings, pairs, counted, masks, awaiting, inactive)


class StaleResults(AssertionError):
    """A remembered result differs from the one worked out now: a write changed no stamp."""


def _check_known(cohort, modules, track, shape, remembered: dict[int, Results]) -> None:
    """Under LMS_PAGE_CACHE_CHECK (the test suite), each remembered result is worked out again."""
    fresh = _results(cohort, modules, track, shape, list(remembered), whole=False)
    for user_id, results in remembered.items():
        if fresh[user_id] != results:
            raise StaleResults(f"user {user_id}: remembered {results}, now {fresh[user_id]}")


def _results(cohort: Cohort, modules: list[Module], track: Track | None, shape, user_ids: list[int],
             whole: bool) -> dict[int, Results]:
    """The results of these trainees of the cohort, or (`whole`) of all its trainees."""
    chosen = _CHOSEN_ARRAY if db.session.get_bind().dialect.name == "postgresql" else _CHOSEN
    if whole:
        people, params = _ENROLLED, {"tally_cohort_id": cohort.id}
    else:
        people, params = chosen, {"tally_user_ids": user_ids, "tally_cohort_id": cohort.id}
    tested = shape[2] is not None
    _people, query = _TALLIES.get(("results", shape[1:], id(people)),
                                  lambda: (people, _results_query(people, modules, track if tested else None)))
    found, unstored = {}, {}
    for user_id, complete, awaiting, present, excused, rtl, signed, runs, *tests in db.session.execute(query, params):
        post, pair = None, None
        if tests:
            pre_number, pre_score, pre_percents, post_number, post_score, post_percents = tests
            post = None if post_number is None else float(post_score or 0.0)
            if pre_number is not None and post_number is not None:
                if pre_percents is None or post_percents is None:
                    unstored[user_id] = True   # graded before percents were stored: `pre_post_pairs` works them out
                else:
                    pair = results_memo.compact_pair((float(pre_score or 0.0), pre_percents, post, post_percents))
        complete = int(complete)
        found[user_id] = Results(complete, bool(awaiting), post, pair,
                                 (modules_done(complete), post, int(present), int(excused), rtl, int(signed),
                                  int(runs)))
    if unstored:
        for user_id, pair in pre_post_pairs(chosen, track, {"tally_user_ids": list(unstored)}).items():
            found[user_id] = found[user_id]._replace(pair=results_memo.compact_pair(pair))
    return found


def _results_query(people, modules: list[Module], track: Track | None):
    """Per trainee of `people` in the cohort `tally_cohort_id`: what `Results` holds, and, given
    a track with both tests, their first graded attempt at each (its number, score and
    percents per module), as `track_gain` reads them."""
    cohort_id = sa.bindparam("tally_cohort_id")
    masks = completion_masks(people, modules)
    sessions = sa.select(TrainingSession.id).where(TrainingSession.cohort_id == cohort_id)
    attendance = (sa.select(Attendance.user_id,
                            sa.func.sum(sa.case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0))
                            .label("present"),
                            sa.func.sum(sa.case((Attendance.status == AttendanceStatus.EXCUSED, 1), else_=0))
                            .label("excused"))
                  .where(Attendance.session_id.in_(sessions), Attendance.user_id.in_(people))
                  .group_by(Attendance.user_id).subquery("attended"))
    practice = (sa.select(PracticeEntry.user_id, sa.func.count(PracticeEntry.signed_off_at).label("signed"))
                .where(PracticeEntry.cohort_id == cohort_id, PracticeEntry.user_id.in_(people))
                .group_by(PracticeEntry.user_id).subquery("practised"))
    roleplays = (sa.select(RunParticipant.user_id, sa.func.count(sa.distinct(RunParticipant.run_id)).label("runs"))
                 .join(RolePlayRun, RolePlayRun.id == RunParticipant.run_id)
                 .where(RolePlayRun.cohort_id == cohort_id, RolePlayRun.state != RunState.SETUP,
                        RunParticipant.user_id.in_(people))
                 .group_by(RunParticipant.user_id).subquery("played"))
    plans = sa.select(ActionPlan.user_id, ActionPlan.state).where(ActionPlan.cohort_id == cohort_id).subquery("plans")
    columns = [masks.c.user_id, masks.c.complete, sa.case((masks.c.awaiting != 0, 1), else_=0),
               sa.func.coalesce(attendance.c.present, 0), sa.func.coalesce(attendance.c.excused, 0),
               sa.func.coalesce(plans.c.state, NO_PLAN), sa.func.coalesce(practice.c.signed, 0),
               sa.func.coalesce(roleplays.c.runs, 0)]
    joined = (masks.outerjoin(attendance, attendance.c.user_id == masks.c.user_id)
              .outerjoin(plans, plans.c.user_id == masks.c.user_id)
              .outerjoin(practice, practice.c.user_id == masks.c.user_id)
              .outerjoin(roleplays, roleplays.c.user_id == masks.c.user_id))
    if track is not None:
        for name, slug in (("pre", track.pretest_slug), ("post", track.posttest_slug)):
            # The first graded attempt (policy FIRST_GRADED), joined by its unique number.
            first = (sa.select(Attempt.user_id, sa.func.min(Attempt.number).label("number"))
                     .where(Attempt.user_id.in_(people), Attempt.quiz_slug == slug,
                            Attempt.status == AttemptStatus.GRADED)
                     .group_by(Attempt.user_id).subquery(f"first_{name}"))
            attempt = sa.orm.aliased(Attempt, name=f"{name}_attempt")
            joined = (joined.outerjoin(first, first.c.user_id == masks.c.user_id)
                      .outerjoin(attempt, sa.and_(attempt.user_id == first.c.user_id, attempt.quiz_slug == slug,
                                                  attempt.number == first.c.number)))
            columns += [first.c.number, attempt.score_percent, attempt.module_percents]
    return sa.select(*columns).select_from(joined)


def _members_query(marked=None):
    """Per trainee of the cohort `tally_cohort_id`: their id, their stamp and the site's, whether
    they have not activated their account, the cohort's sessions with attendance taken, and
    whether they are `marked`."""
    cohort_id = sa.bindparam("tally_cohort_id")
    taken = (sa.select(sa.func.count().label("taken"))   # sessions with any attendance row, one probe each
             .where(TrainingSession.cohort_id == cohort_id,
                    sa.exists().where(Attendance.session_id == TrainingSession.id)).subquery("taken"))
    inactive = sa.case((sa.or_(User.password_hash.is_(None), User.password_hash == ""), 1), else_=0)
    # The sessions' count joined once, not a column: some planners would count it per trainee.
    return (sa.select(Enrollment.user_id, User.page_stamp, SITE_STAMP, inactive, taken.c.taken,
                      sa.literal(0) if marked is None else sa.case((Enrollment.user_id.in_(marked), 1), else_=0))
            .select_from(Enrollment).join(User, User.id == Enrollment.user_id).join(taken, sa.true())
            .where(Enrollment.cohort_id == cohort_id))


def modules_key(modules: list[Module]) -> tuple:
    """What the masks' statement depends on of the modules: their order and quizzes."""
    return tuple((m.slug, m.quiz_slug, tuple(m.case_slugs or ())) for m in modules)


def standings_of(tally: list[Tally]) -> Counter[Standing]:
    # Counted by object first: hashing a standing (its fields, its attendance's) per row costs
    # more than the rest of the count; equal standings of distinct objects still merge below.
    by_object: dict[int, list] = {}
    for t in tally:
        entry = by_object.get(id(t.standing))
        if entry is None:
            by_object[id(t.standing)] = [t.standing, t.count]
        else:
            entry[1] += t.count
    counts: Counter[Standing] = Counter()
    for standing, n in by_object.values():
        counts[standing] += n
    return counts


# --- one trainee in several cohorts ---------------------------------------------------------

# A trainee's own facts in each of their cohorts, each kind read once for all the cohorts and
# told apart by its first column, in one round trip (a trainee's home asks on every visit):
#   0: sessions of the cohort where attendance was taken   2: their plan's state
#   1: sessions they were present at or excused from,      3: field practice: signed off, all
#      per status                                          4: role-play runs taken part in
_IDS, _ME = sa.bindparam("cohort_ids", expanding=True), sa.bindparam("user_id")


def _kind(n: int):
    return sa.literal_column(str(n))


def _no_label():
    return sa.cast(sa.null(), sa.String)


_OWN_FACTS = sa.union_all(
    # Sessions with any attendance row: one probe of the primary key per session, however many
    # trainees the cohort has (counting distinct sessions over the rows would read them all).
    sa.select(_kind(0), TrainingSession.cohort_id, _no_label(), sa.func.count(), _kind(0))
    .where(TrainingSession.cohort_id.in_(_IDS),
           sa.exists().where(Attendance.session_id == TrainingSession.id))
    .group_by(TrainingSession.cohort_id),
    sa.select(_kind(1), TrainingSession.cohort_id, Attendance.status, sa.func.count(), _kind(0))
    .select_from(Attendance).join(TrainingSession, TrainingSession.id == Attendance.session_id)
    .where(TrainingSession.cohort_id.in_(_IDS), Attendance.user_id == _ME)
    .group_by(TrainingSession.cohort_id, Attendance.status),
    sa.select(_kind(2), ActionPlan.cohort_id, ActionPlan.state, _kind(0), _kind(0))
    .where(ActionPlan.cohort_id.in_(_IDS), ActionPlan.user_id == _ME),
    sa.select(_kind(3), PracticeEntry.cohort_id, _no_label(),
              sa.func.count(PracticeEntry.signed_off_at), sa.func.count())
    .where(PracticeEntry.cohort_id.in_(_IDS), PracticeEntry.user_id == _ME).group_by(PracticeEntry.cohort_id),
    # A run counts once, as player or observer, unless it is still being set up (count_participation).
    sa.select(_kind(4), RolePlayRun.cohort_id, _no_label(),
              sa.func.count(sa.distinct(RunParticipant.run_id)), _kind(0))
    .join(RolePlayRun, RolePlayRun.id == RunParticipant.run_id)
    .where(RolePlayRun.cohort_id.in_(_IDS), RunParticipant.user_id == _ME, RolePlayRun.state != RunState.SETUP)
    .group_by(RolePlayRun.cohort_id))


def _outlines_of(track_slugs: set[str]) -> dict[str, tuple[Track | None, list[ModuleOutline]]]:
    """Tracks (retired ones too) with their active modules, as `track_of` and
    `cohort_required_modules` read them one cohort at a time, in two queries."""
    found: dict[str, tuple[Track | None, list[ModuleOutline]]] = {slug: (None, []) for slug in track_slugs}
    for track in db.session.scalars(sa.select(Track).where(Track.slug.in_(track_slugs))):
        found[track.slug] = (track, [])
    rows = db.session.execute(
        sa.select(Module.slug, Module.title, Module.order, Module.track_slug, Module.quiz_slug, Module.case_slugs)
        .where(Module.track_slug.in_(track_slugs), Module.retired_at.is_(None)).order_by(Module.order, Module.id))
    for row in rows:
        found[row.track_slug][1].append(ModuleOutline(*row))
    return found


def trainee_facts_by_cohort(user: User, cohorts, *, outlines=(), states: dict[str, ModuleState] | None = None,
                            gains: dict | None = None) -> dict[int, CohortFacts]:
    """One trainee's facts in each of these cohorts (by cohort id), what `cohort_facts(cohort,
    [user])` reads for each, in a fixed number of queries however many cohorts.

    What the caller already read is handed over: `outlines`, (track, active modules) pairs;
    `states`, the trainee's state by module slug; `gains`, `track_gains([user.id], ...)` by track
    slug. A cohort's track not among them (retired, or gone) is read here, once for all such."""
    cohorts = list(cohorts)
    if not cohorts:
        return {}
    outline = {t.slug: (t, ms) for t, ms in outlines}
    unread = {c.track_slug for c in cohorts} - outline.keys()
    if unread:
        outline.update(_outlines_of(unread))
    required = {c.id: cohort_required_modules(c, outline[c.track_slug][1]) for c in cohorts}
    states = dict(states or {})
    unknown = {m.slug: m for ms in required.values() for m in ms if m.slug not in states}
    if unknown:
        states.update({slug: state for (_u, slug), state in completion_states([user.id], list(unknown.values())).items()})
    gains = dict(gains or {})
    ungained = {c.track_slug: outline[c.track_slug][0] for c in cohorts if c.track_slug not in gains}
    ungained = [t for t in ungained.values() if t is not None]
    if ungained:
        gains.update(track_gains([user.id], ungained))
    taken, counts, plans, practice, roleplays = Counter(), {}, {}, {}, Counter()
    for kind, cohort_id, label, a, b in db.session.execute(
            _OWN_FACTS, {"cohort_ids": [c.id for c in cohorts], "user_id": user.id}):
        if kind == 0:
            taken[cohort_id] = a
        elif kind == 1:
            counts.setdefault(cohort_id, Counter())[label] = a
        elif kind == 2:
            plans[cohort_id] = label
        elif kind == 3:
            practice[cohort_id] = (a, b)
        else:
            roleplays[cohort_id] = a
    facts = {}
    for cohort in cohorts:
        track = outline[cohort.track_slug][0]
        group, per_person = gains[track.slug] if track is not None else (None, {})
        gain = per_person.get(user.id)
        attended = counts.get(cohort.id, Counter())
        signed, total = practice.get(cohort.id, (0, 0))
        modules = required[cohort.id]
        facts[cohort.id] = CohortFacts(cohort, track, modules, gain=group, trainees=[TraineeFacts(
            user=user, states=[states[m.slug] for m in modules],
            attendance=AttendanceCount(attended[AttendanceStatus.PRESENT], attended[AttendanceStatus.EXCUSED],
                                       taken[cohort.id]),
            pre=gain.pre if gain else None, post=gain.post if gain else None,
            gain=gain.gain if gain else None, rtl=plans.get(cohort.id, NO_PLAN),
            practice_signed=signed, practice_total=total, roleplays_taken=roleplays[cohort.id])])
    return facts
