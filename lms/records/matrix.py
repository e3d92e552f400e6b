"""The cohort completion matrix: the trainee facts as a grid, with per-module counts and CSV."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lms.cohorts.models import Cohort
from lms.learning.models import Module, Track
from lms.records.facts import TraineeFacts, cohort_facts


@dataclass
class Matrix:
    cohort: Cohort
    track: Track | None
    modules: list[Module]
    rows: list[TraineeFacts]

    @property
    def completion_rate(self) -> float | None:
        """Share of trainees who completed every required module."""
        if not self.rows:
            return None
        return sum(1 for r in self.rows if r.modules_complete) / len(self.rows)

    def module_counts(self) -> list[Counter]:
        """Per module, how many trainees are in each state."""
        return [Counter(r.states[i] for r in self.rows) for i in range(len(self.modules))]


def build_matrix(cohort: Cohort) -> Matrix:
    """Everything the cohort page shows, in about ten queries."""
    facts = cohort_facts(cohort)
    return Matrix(cohort, facts.track, facts.modules, facts.trainees)


def matrix_csv_rows(matrix: Matrix) -> list[list[str]]:
    """The matrix as CSV rows (header first); numbers as plain decimals for spreadsheets."""
    def num(value, scale=1.0):
        return "" if value is None else f"{value * scale:.1f}"
    header = (["username", "display_name"] + [m.slug for m in matrix.modules] +
              ["attendance_percent", "pretest_percent", "posttest_percent", "gain", "rtl",
               "practice_signed", "practice_total", "roleplays_taken", "modules_complete"])
    out = [header]
    for r in matrix.rows:
        out.append([r.user.username, r.user.display_name] + [str(s) for s in r.states] +
                   [num(r.attendance.rate, 100), num(r.pre), num(r.post),
                    "" if r.gain is None else f"{r.gain:.2f}", r.rtl, str(r.practice_signed),
                    str(r.practice_total), str(r.roleplays_taken), "yes" if r.modules_complete else "no"])
    return out
