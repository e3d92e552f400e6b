"""The cohort page at scale: a summary first (completion, who is stuck where, what higher
domains add, such as certification), then one page of a filterable grid.

A coordinator of a 1,000-trainee network reads the summary; the grid shows at most a page
of rows, so the page weighs the same for 30 trainees or 10,000. The whole grid stays
available as CSV and as a print view (`?all=1`).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from lms.assessment.completion import ModuleState
from lms.learning.models import Module
from lms.records.facts import CohortFacts, TraineeFacts

PER_PAGE = 50
STATES = [s.value for s in ModuleState]


@dataclass
class SummaryPart:
    """A line a higher domain adds to the cohort summary ("12 eligible, 3 certified")."""

    label: str
    value: str
    href: str | None = None


# Domains above records (certification) register what they add to the summary; records
# cannot import them, and the page should not know who they are.
SUMMARY_PARTS: list[Callable[[CohortFacts], SummaryPart | None]] = []


def register_summary_part(part: Callable[[CohortFacts], SummaryPart | None]) -> None:
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

    @property
    def completion_rate(self) -> float | None:
        return self.complete / self.trainees if self.trainees else None


def first_incomplete(row: TraineeFacts) -> int | None:
    return next((i for i, s in enumerate(row.states) if s != ModuleState.COMPLETE), None)


def summarise(facts: CohortFacts) -> CohortSummary:
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
    parts = [p for p in (part(facts) for part in SUMMARY_PARTS) if p is not None]
    return CohortSummary(len(facts.trainees), complete, inactive, waiting,
                         [Stuck(m, n) for m, n in zip(facts.modules, stuck, strict=True) if n], parts)


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
