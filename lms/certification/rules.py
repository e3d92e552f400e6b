"""Eligibility: a plain function of a trainee's facts and the cohort's rules.

Each rule answers met or not, with its numbers and a sentence that says them
("kehadiran 6 dari 8 sesi = 75%, minimal 80%"). A minimum of 0 (or a switched-off
requirement) is off: it is listed as such and never blocks.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from lms.core.i18n import format_decimal
from lms.core.i18n import gettext as _
from lms.practice.models import ReviewState
from lms.records.facts import TraineeFacts

RULE_KEYS = ("modules", "post_test_min", "attendance_min", "roleplays_min", "rtl", "practice_min")


@dataclass
class RuleResult:
    key: str
    on: bool
    met: bool
    text: str                       # the explanation, in the current language
    numbers: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Eligibility:
    results: list[RuleResult]

    @property
    def eligible(self) -> bool:
        return all(r.met for r in self.results if r.on)

    @property
    def unmet(self) -> list[RuleResult]:
        return [r for r in self.results if r.on and not r.met]


def _pct(value: float) -> str:
    """A percentage rounded down to one decimal, so 79.96 never reads as 80."""
    return format_decimal(math.floor(value * 10 + 1e-9) / 10, "0.#")


# Whether each rule is met, apart from what is said about it: `evaluate` explains, and
# `is_eligible` decides a whole cohort's standings with these alone.

def _post_met(post: float | None, minimum: int) -> bool:
    return post is not None and post + 1e-9 >= minimum


def _attendance_met(count, minimum: int) -> bool:
    expected = count.taken - count.excused
    if count.taken == 0:
        return False
    return expected <= 0 or count.present * 100 >= minimum * expected   # excused from all: met


def _modules(facts: TraineeFacts, on: bool) -> RuleResult:
    done, total = facts.modules_done, facts.modules_total
    numbers = {"done": done, "total": total}
    if not on:
        return RuleResult("modules", False, True, _("required modules: not required"), numbers)
    return RuleResult("modules", True, done == total,
                      _("required modules complete: %(done)d of %(total)d", done=done, total=total), numbers)


def _post_test(facts: TraineeFacts, minimum: int) -> RuleResult:
    numbers = {"score": facts.post, "min": minimum}
    if minimum <= 0:
        return RuleResult("post_test_min", False, True, _("post-test: no minimum"), numbers)
    if facts.post is None:
        return RuleResult("post_test_min", True, False,
                          _("post-test not taken yet, at least %(min)d%%", min=minimum), numbers)
    return RuleResult("post_test_min", True, _post_met(facts.post, minimum),
                      _("post-test %(score)s%%, at least %(min)d%%", score=_pct(facts.post), min=minimum),
                      numbers)


def _attendance(facts: TraineeFacts, minimum: int) -> RuleResult:
    count = facts.attendance
    expected = count.taken - count.excused
    numbers = {"present": count.present, "excused": count.excused, "taken": count.taken,
               "expected": expected, "min": minimum}
    if minimum <= 0:
        return RuleResult("attendance_min", False, True, _("attendance: no minimum"), numbers)
    if count.taken == 0:
        return RuleResult("attendance_min", True, False,
                          _("attendance not taken in any session yet, at least %(min)d%%", min=minimum),
                          numbers)
    if expected <= 0:   # excused from every session
        return RuleResult("attendance_min", True, True,
                          _("attendance: excused from all %(taken)d sessions", taken=count.taken), numbers)
    rate = 100 * count.present / expected
    return RuleResult("attendance_min", True, _attendance_met(count, minimum),
                      _("attendance %(present)d of %(expected)d sessions = %(rate)s%%, at least %(min)d%%",
                        present=count.present, expected=expected, rate=_pct(rate), min=minimum), numbers)


def _at_least(key: str, count: int, minimum: int, off_text: str, text: str) -> RuleResult:
    numbers = {"count": count, "min": minimum}
    if minimum <= 0:
        return RuleResult(key, False, True, off_text, numbers)
    return RuleResult(key, True, count >= minimum, text, numbers)


def _rtl(facts: TraineeFacts, on: bool) -> RuleResult:
    numbers = {"state": facts.rtl}
    if not on:
        return RuleResult("rtl", False, True, _("RTL: not required"), numbers)
    label = {ReviewState.APPROVED: _("approved"), ReviewState.SUBMITTED: _("awaiting review"),
             ReviewState.RETURNED: _("returned for changes"), ReviewState.DRAFT: _("draft")}.get(
        facts.rtl, _("not written"))
    return RuleResult("rtl", True, facts.rtl == ReviewState.APPROVED,
                      _("RTL %(state)s, must be approved", state=label), numbers)


def is_eligible(facts: TraineeFacts, rules: dict) -> bool:
    """`evaluate(facts, rules).eligible`, decided without a result or a sentence per rule: a
    cohort of 1,000 has some 700 distinct standings, each decided on every view of its page."""
    return ((not rules["modules"] or facts.modules_done == facts.modules_total)
            and (int(rules["post_test_min"]) <= 0 or _post_met(facts.post, int(rules["post_test_min"])))
            and (int(rules["attendance_min"]) <= 0 or _attendance_met(facts.attendance, int(rules["attendance_min"])))
            and facts.roleplays_taken >= int(rules["roleplays_min"])
            and (not rules["rtl"] or facts.rtl == ReviewState.APPROVED)
            and facts.practice_signed >= int(rules["practice_min"]))


def evaluate(facts: TraineeFacts, rules: dict) -> Eligibility:
    """Every rule for one trainee, in a fixed order, each with the sentence that explains it
    (counting a cohort needs no sentences: `is_eligible`).

    `facts` is a trainee's `TraineeFacts` or a `Standing`."""
    return Eligibility([
        _modules(facts, bool(rules["modules"])),
        _post_test(facts, int(rules["post_test_min"])),
        _attendance(facts, int(rules["attendance_min"])),
        _at_least("roleplays_min", facts.roleplays_taken, int(rules["roleplays_min"]),
                  _("role-plays: no minimum"),
                  _("role-plays taken part in: %(count)d, at least %(min)d",
                    count=facts.roleplays_taken, min=int(rules["roleplays_min"]))),
        _rtl(facts, bool(rules["rtl"])),
        _at_least("practice_min", facts.practice_signed, int(rules["practice_min"]),
                  _("field practice: no minimum"),
                  _("field-practice entries signed off: %(count)d, at least %(min)d",
                    count=facts.practice_signed, min=int(rules["practice_min"]))),
    ])
