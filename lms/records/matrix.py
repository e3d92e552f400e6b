"""The cohort completion matrix: the trainee facts as a grid, with per-module counts and CSV."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lms.assessment.analytics import GainReport
from lms.assessment.completion import ModuleState
from lms.cohorts.models import Cohort
from lms.learning.models import Module, Track
from lms.records.facts import CohortFacts, TraineeFacts, cohort_facts


@dataclass
class Matrix:
    cohort: Cohort
    track: Track | None
    modules: list[Module]
    rows: list[TraineeFacts]
    gain: GainReport | None = None

    @property
    def cell_slugs(self) -> list[str]:
        return [m.slug for m in self.modules]

    @property
    def completion_rate(self) -> float | None:
        """Share of trainees who completed every required module."""
        if not self.rows:
            return None
        return sum(1 for r in self.rows if r.modules_complete) / len(self.rows)

    def module_counts(self) -> list[Counter]:
        """Per module, how many trainees are in each state."""
        return [Counter(r.states[i] for r in self.rows) for i in range(len(self.modules))]

    def module_completion(self) -> list[tuple[Module, int]]:
        """Per module, how many trainees completed it."""
        return [(m, counts[ModuleState.COMPLETE]) for m, counts in zip(self.modules, self.module_counts(), strict=True)]


def build_matrix(cohort: Cohort) -> Matrix:
    """Everything the cohort page shows, in about ten queries."""
    return matrix_of(cohort_facts(cohort))


def matrix_of(facts: CohortFacts) -> Matrix:
    """The matrix of facts already gathered (the cohort page also summarises them)."""
    return Matrix(facts.cohort, facts.track, facts.modules, facts.trainees, facts.gain)


def matrix_csv_rows(matrix: Matrix) -> list[list[str]]:
    """The matrix as spreadsheet rows for people (header first): column names, states and
    module titles in the reader's language, numbers with a decimal comma in Indonesian."""
    from lms.core.i18n import format_decimal
    from lms.core.i18n import gettext as _
    from lms.core.labels import plan_label, state_label

    def num(value, scale=1.0, pattern="0.0"):
        return "" if value is None else format_decimal(value * scale, pattern)
    header = ([_("Username"), _("Name")] + [m.title for m in matrix.modules] +
              [_("Attendance (%)"), _("Pre-test (%)"), _("Post-test (%)"), _("Learning gain"),
               _("RTL"), _("Field practice signed off"), _("Field practice logged"),
               _("Role-plays taken part in"), _("All modules complete")])
    out = [header]
    for r in matrix.rows:
        out.append([r.user.username, r.user.display_name] + [state_label(s) for s in r.states] +
                   [num(r.attendance.rate, 100), num(r.pre), num(r.post), num(r.gain, 1, "0.00"),
                    plan_label(r.rtl) if r.rtl != "none" else "", str(r.practice_signed),
                    str(r.practice_total), str(r.roleplays_taken),
                    _("yes") if r.modules_complete else _("no")])
    return out
