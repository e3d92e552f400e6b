"""The cohort page at scale: a summary first (completion, who is stuck where, what higher
domains add, such as certification), then one page of a filterable grid.

A coordinator of a 1,000-trainee network reads the summary; the grid shows at most a page
of rows, so the page weighs the same for 30 trainees or 10,000. The summary is counted in
the database (GROUP BY over the cohort's enrolments) and the grid's facts are gathered for
the page's rows only, so its cost does not grow with the cohort either. The whole grid
stays available as CSV and as a print view (`?all=1`), which gathers every trainee's facts
and summarises and filters them in Python: the same rules, held equal by the tests.
"""
from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.accounts.models import User
from lms.accounts.people import name_or_username_contains
from lms.assessment.analytics import GainReport
from lms.assessment.completion import ModuleState, completion_masks, first_not_complete, mask_states, masks_fit
from lms.cohorts.models import Cohort, Enrollment
from lms.cohorts.requirements import cohort_required_modules
from lms.core.built_once import BuiltOnce
from lms.extensions import db
from lms.learning.models import Module, Track
from lms.learning.progress import track_modules
from lms.records.facts import (
    CohortFacts,
    Standing,
    TraineeFacts,
    cohort_facts,
    count_cohort,
    enrolled,
    modules_key,
    track_of,
)
from lms.records.results_memo import gain_of

PER_PAGE = 50
STATES = [s.value for s in ModuleState]


@dataclass
class SummaryPart:
    """A line a higher domain adds to the cohort summary ("12 eligible, 3 certified")."""

    label: str
    value: str
    href: str | None = None


# Domains above records (certification) register what they add to the summary; records
# cannot import them, and the page should not know who they are. A part is given the cohort
# and how many of its trainees stand where (`Standing`: the facts without the people).
SummaryPartOf = Callable[[Cohort, Counter[Standing]], SummaryPart | None]
SUMMARY_PARTS: list[SummaryPartOf] = []


def register_summary_part(part: SummaryPartOf) -> None:
    if part not in SUMMARY_PARTS:
        SUMMARY_PARTS.append(part)


@dataclass
class Stuck:
    """How many trainees have this module as their first one not complete."""

    module: Module
    count: int


@dataclass
class CohortSummary:
    trainees: int
    complete: int
    not_activated: int
    awaiting_review: int               # trainees with at least one module awaiting review
    stuck: list[Stuck]
    parts: list[SummaryPart] = field(default_factory=list)
    completed: list[tuple[Module, int]] = field(default_factory=list)  # per module, trainees who completed it
    gain: GainReport | None = None     # the group's, over those who took both tests

    @property
    def completion_rate(self) -> float | None:
        return self.complete / self.trainees if self.trainees else None


def first_incomplete(row: TraineeFacts) -> int | None:
    return next((i for i, s in enumerate(row.states) if s != ModuleState.COMPLETE), None)


def _parts(cohort: Cohort, standings: Callable[[], Counter[Standing]]) -> list[SummaryPart]:
    """The registered parts, given the standings (read only if some part is registered)."""
    if not SUMMARY_PARTS:
        return []
    counted = standings()
    return [p for p in (part(cohort, counted) for part in SUMMARY_PARTS) if p is not None]


def summarise(facts: CohortFacts) -> CohortSummary:
    """The summary of facts gathered for every trainee (the print view's)."""
    stuck = [0] * len(facts.modules)
    complete = waiting = inactive = 0
    for row in facts.trainees:
        at = first_incomplete(row)
        if at is None:
            complete += 1
        else:
            stuck[at] += 1
        waiting += ModuleState.AWAITING_REVIEW in row.states
        inactive += not row.user.password_hash
    completed = [sum(1 for r in facts.trainees if r.states[i] == ModuleState.COMPLETE)
                 for i in range(len(facts.modules))]
    parts = _parts(facts.cohort, lambda: Counter(t.standing for t in facts.trainees))
    return CohortSummary(len(facts.trainees), complete, inactive, waiting,
                         [Stuck(m, n) for m, n in zip(facts.modules, stuck, strict=True) if n], parts,
                         list(zip(facts.modules, completed, strict=True)), facts.gain)


@functools.lru_cache(maxsize=8192)   # a cohort of 1,000 has a few hundred distinct masks
def _mask_facts(mask: int, modules: int) -> tuple[int | None, tuple[int, ...]]:
    """The first module not complete in a mask, and the positions of those complete."""
    bits = []
    rest = mask
    while rest:
        low = rest & -rest
        bits.append(low.bit_length() - 1)
        rest ^= low
    return first_not_complete(mask, modules), tuple(bits)


def cohort_summary(cohort: Cohort, modules: list[Module], track: Track | None) -> CohortSummary:
    """`summarise` counted from a row of numbers per trainee (`count_cohort`: their results
    worked out again only where they changed), and the certificates and rules of the parts."""
    count = count_cohort(cohort, modules, track)
    trainees, waiting, inactive = sum(count.masks.values()), count.awaiting, count.inactive
    complete = 0
    stuck, completed = [0] * len(modules), [0] * len(modules)
    for mask, n in count.masks.items():
        at, bits = _mask_facts(mask, len(modules))
        if at is None:
            complete += n
        else:
            stuck[at] += n
        for bit in bits:
            completed[bit] += n
    parts = _parts(cohort, lambda: count.standings) if trainees else []
    return CohortSummary(trainees, complete, inactive, waiting,
                         [Stuck(m, k) for m, k in zip(modules, stuck, strict=True) if k], parts,
                         list(zip(modules, completed, strict=True)), None if track is None else gain_of(count.pairs))


@dataclass
class GridQuery:
    """What the coordinator asked of the grid; unknown values are ignored, not errors."""

    q: str = ""
    module: str = ""          # a module slug the state filter applies to ("" = any module)
    state: str = ""           # a ModuleState value, or "" for every trainee
    stuck: str = ""           # a module slug: trainees whose first incomplete module it is
    page: int = 1
    everything: bool = False  # the print view: every row on one page

    @classmethod
    def from_args(cls, args, modules: list[Module]) -> GridQuery:
        slugs = {m.slug for m in modules}
        try:
            page = max(1, min(int(args.get("page", 1)), 10**6))
        except (TypeError, ValueError):
            page = 1
        return cls(q=(args.get("q") or "").strip()[:100],
                   module=args.get("module", "") if args.get("module") in slugs else "",
                   state=args.get("state", "") if args.get("state") in STATES else "",
                   stuck=args.get("stuck", "") if args.get("stuck") in slugs else "",
                   page=page, everything=args.get("all") == "1")

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.state or self.stuck)

    def args(self, **changes) -> dict:
        """The query as URL arguments, with `changes`, for links that keep the filters."""
        values = {"q": self.q, "module": self.module, "state": self.state, "stuck": self.stuck,
                  "page": self.page if self.page > 1 else ""}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None)}


def _matches(row: TraineeFacts, query: GridQuery, index: dict[str, int]) -> bool:
    if query.q:
        needle = query.q.casefold()
        if needle not in row.user.display_name.casefold() and needle not in row.user.username.casefold():
            return False
    if query.state:
        states = [row.states[index[query.module]]] if query.module else row.states
        if query.state not in states:
            return False
    if query.stuck and first_incomplete(row) != index[query.stuck]:
        return False
    return True


@dataclass
class GridPage:
    rows: list[TraineeFacts]
    total: int                 # rows matching the filters
    page: int
    pages: int
    first: int                 # 1-based number of the first row shown (0 when none)
    last: int


def grid_page(facts: CohortFacts, query: GridQuery, per_page: int = PER_PAGE) -> GridPage:
    index = {m.slug: i for i, m in enumerate(facts.modules)}
    rows = [r for r in facts.trainees if _matches(r, query, index)] if query.filtered else facts.trainees
    total = len(rows)
    if query.everything:
        return GridPage(rows, total, 1, 1, 1 if total else 0, total)
    pages = max(1, math.ceil(total / per_page))
    page = min(query.page, pages)
    start = (page - 1) * per_page
    shown = rows[start:start + per_page]
    return GridPage(shown, total, page, pages, start + 1 if shown else 0, start + len(shown))


def matching_trainees(cohort: Cohort, modules: list[Module], query: GridQuery):
    """A select of the cohort's trainees that the grid's filters keep, as `_matches` decides
    (in SQL, over each trainee's completion masks: name and username in any case, a
    module's state, where stuck)."""
    return _matching(cohort, modules, query)[0]


def _matching(cohort: Cohort, modules: list[Module], query: GridQuery):
    """`matching_trainees`, with the cohort's masks it joined (None when no filter needs them)."""
    index = {m.slug: i for i, m in enumerate(modules)}
    matching = (sa.select(User).join(Enrollment, Enrollment.user_id == User.id)
                .where(Enrollment.cohort_id == cohort.id))
    if query.q:
        matching = matching.where(name_or_username_contains(query.q))
    if not (query.state or query.stuck):
        return matching, None
    masks = completion_masks(enrolled(cohort.id), modules)
    matching = matching.join(masks, masks.c.user_id == User.id)
    complete, awaiting, active = masks.c.complete, masks.c.awaiting, masks.c.active
    if query.state:
        if not modules:
            return matching.where(sa.false()), masks
        of = _bit(index[query.module]) if query.module else (1 << len(modules)) - 1
        if query.state == ModuleState.NOT_STARTED:
            matching = matching.where(active.bitwise_and(of) != of if not query.module
                                      else active.bitwise_and(of) == 0)
        else:
            mask = {ModuleState.COMPLETE: complete, ModuleState.AWAITING_REVIEW: awaiting,
                    ModuleState.IN_PROGRESS: active.bitwise_and(complete.bitwise_not())
                    .bitwise_and(awaiting.bitwise_not())}[ModuleState(query.state)]
            matching = matching.where(mask.bitwise_and(of) != 0)
    if query.stuck:   # every module before it complete, not it
        at = index[query.stuck]
        matching = matching.where(complete.bitwise_and(_bit(at + 1) - 1) == _bit(at) - 1)
    return matching, masks


def _bit(i: int) -> int:
    return 1 << i


def grid_of(cohort: Cohort, modules: list[Module], query: GridQuery, per_page: int = PER_PAGE, *,
            track: Track | None = None, trainees: int | None = None) -> GridPage:
    """One page of the grid, with the facts of its rows only (ordered as the print view).

    The page's trainees come with their completion masks, so their states cost no query of
    their own; `trainees` (the cohort's size, which the summary counted) spares counting the
    rows of an unfiltered grid, and `track` reading it again."""
    matching, masks = _matching(cohort, modules, query)
    total = trainees if trainees is not None and not query.filtered else db.session.scalar(
        sa.select(sa.func.count()).select_from(matching.with_only_columns(User.id).subquery()))
    pages = max(1, math.ceil(total / per_page))
    page = min(query.page, pages)
    start = (page - 1) * per_page
    if query.filtered:
        rows, params = _rows_of(matching, masks, modules, per_page, start), {}
    else:
        rows, params = _unfiltered_rows(modules), {"grid_cohort_id": cohort.id, "grid_limit": per_page,
                                                   "grid_offset": start}
    users, states = [], {}
    for user, complete, awaiting, active in db.session.execute(rows, params):
        users.append(user)
        for module, state in zip(modules, mask_states(int(complete), int(awaiting), int(active), len(modules)),
                                 strict=True):
            states[(user.id, module.slug)] = state
    facts = cohort_facts(cohort, users, track=track_of(cohort) if track is None else track, modules=modules,
                         states=states).trainees if users else []
    return GridPage(facts, total, page, pages, start + 1 if facts else 0, start + len(facts))


_ORDER = (User.display_name, User.id)


def _rows_of(matching, masks, modules: list[Module], limit, offset):
    """The page's trainees, in the print view's order, each with their completion masks: the
    masks the filters joined, else those of the page's trainees only (whatever the cohort's
    size)."""
    if masks is None:
        # The page's ids once (a CTE the masks read three times): else each reading sorts
        # the whole cohort again, 1.8 ms each at 10,000 trainees.
        shown = matching.with_only_columns(User.id).order_by(*_ORDER).limit(limit).offset(offset).cte("shown")
        masks = completion_masks(sa.select(shown.c.id), modules)
        rows = sa.select(User).join(masks, masks.c.user_id == User.id)
    else:
        rows = matching.limit(limit).offset(offset)
    return rows.add_columns(masks.c.complete, masks.c.awaiting, masks.c.active).order_by(*_ORDER)


# An unfiltered page's statement (the common one) is built once per modules: building the
# masks costs more than running them for a page.
_UNFILTERED: BuiltOnce[sa.Select] = BuiltOnce()


def _unfiltered_rows(modules: list[Module]) -> sa.Select:
    def build():
        everyone = (sa.select(User).join(Enrollment, Enrollment.user_id == User.id)
                    .where(Enrollment.cohort_id == sa.bindparam("grid_cohort_id")))
        return _rows_of(everyone, None, modules, sa.bindparam("grid_limit", type_=sa.Integer),
                        sa.bindparam("grid_offset", type_=sa.Integer))
    return _UNFILTERED.get(modules_key(modules), build)


@dataclass
class CohortPage:
    cohort: Cohort
    track: Track | None
    modules: list[Module]
    summary: CohortSummary
    query: GridQuery
    grid: GridPage
    outline: list[Module] = field(default_factory=list)   # the track's active modules, bodies unread


def cohort_page(cohort: Cohort, args) -> CohortPage:
    """The summary and the grid the page shows for these URL arguments. The track and its
    modules are read once here and handed to every part that needs them."""
    track, outline = track_of(cohort), track_modules(cohort.track_slug)
    modules = cohort_required_modules(cohort, outline)
    query = GridQuery.from_args(args, modules)
    # A track too long for the masks (over 62 modules or quizzes) is summarised in Python.
    if query.everything or not masks_fit(modules):
        facts = cohort_facts(cohort, track=track, modules=modules)
        return CohortPage(cohort, track, modules, summarise(facts), query, grid_page(facts, query), outline)
    summary = cohort_summary(cohort, modules, track)
    return CohortPage(cohort, track, modules, summary, query,
                      grid_of(cohort, modules, query, track=track, trainees=summary.trainees), outline)
