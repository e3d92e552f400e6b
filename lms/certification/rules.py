"""Eligibility: a plain function of a trainee's facts and the cohort's rules.

Each rule answers met or not, with its numbers and a sentence that says them
("kehadiran 6 dari 8 sesi = 75%, minimal 80%"). A minimum of 0 (or a switched-off
requirement) is off: it is listed as such and never blocks.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

from lms.core.i18n import format_decimal, gettext
from lms.core.i18n import gettext as _
from lms.practice.models import ReviewState
from lms.records.facts import Standing, TraineeFacts

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


def _modules(facts: TraineeFacts, on: bool, _=_) -> RuleResult:
    done, total = facts.modules_done, facts.modules_total
    numbers = {"done": done, "total": total}
    if not on:
        return RuleResult("modules", False, True, _("required modules: not required"), numbers)
    return RuleResult("modules", True, done == total,
                      _("required modules complete: %(done)d of %(total)d", done=done, total=total), numbers)


def _post_test(facts: TraineeFacts, minimum: int, _=_, pct=_pct) -> RuleResult:
    numbers = {"score": facts.post, "min": minimum}
    if minimum <= 0:
        return RuleResult("post_test_min", False, True, _("post-test: no minimum"), numbers)
    if facts.post is None:
        return RuleResult("post_test_min", True, False,
                          _("post-test not taken yet, at least %(min)d%%", min=minimum), numbers)
    return RuleResult("post_test_min", True, facts.post + 1e-9 >= minimum,
                      _("post-test %(score)s%%, at least %(min)d%%", score=pct(facts.post), min=minimum),
                      numbers)


def _attendance(facts: TraineeFacts, minimum: int, _=_, pct=_pct) -> RuleResult:
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
    return RuleResult("attendance_min", True, count.present * 100 >= minimum * expected,
                      _("attendance %(present)d of %(expected)d sessions = %(rate)s%%, at least %(min)d%%",
                        present=count.present, expected=expected, rate=pct(rate), min=minimum), numbers)


def _at_least(key: str, count: int, minimum: int, off_text: str, text: str) -> RuleResult:
    numbers = {"count": count, "min": minimum}
    if minimum <= 0:
        return RuleResult(key, False, True, off_text, numbers)
    return RuleResult(key, True, count >= minimum, text, numbers)


def _rtl(facts: TraineeFacts, on: bool, _=_) -> RuleResult:
    numbers = {"state": facts.rtl}
    if not on:
        return RuleResult("rtl", False, True, _("RTL: not required"), numbers)
    label = {ReviewState.APPROVED: _("approved"), ReviewState.SUBMITTED: _("awaiting review"),
             ReviewState.RETURNED: _("returned for changes"), ReviewState.DRAFT: _("draft")}.get(
        facts.rtl, _("not written"))
    return RuleResult("rtl", True, facts.rtl == ReviewState.APPROVED,
                      _("RTL %(state)s, must be approved", state=label), numbers)


def _unexplained(_text: str, **_values) -> str:
    return ""


def _unformatted(_value: float) -> str:
    return ""


def decided_alike(standing: Standing, rules: dict) -> Standing:
    """A standing the rules decide as they decide `standing`, with the post-test score
    replaced by whether it reaches the minimum: in a cohort of 1,000 almost every score
    differs, so counting who is eligible would otherwise decide each trainee apart."""
    minimum = int(rules["post_test_min"])
    if standing.post is None:
        return standing
    post = 0.0 if minimum <= 0 else float(minimum) if standing.post + 1e-9 >= minimum else -1.0
    return replace(standing, post=post)


def evaluate(facts: TraineeFacts, rules: dict, explain: bool = True) -> Eligibility:
    """Every rule for one trainee, in a fixed order. `explain=False` leaves the texts empty:
    a count of who is eligible over a 1,000-trainee cohort would otherwise format (and
    translate) some 13,000 sentences, and format 2,000 percentages, nobody reads.

    `facts` is a trainee's `TraineeFacts` or, to count a cohort, a `Standing`."""
    _ = gettext if explain else _unexplained   # the translator the texts go through
    pct = _pct if explain else _unformatted
    return Eligibility([
        _modules(facts, bool(rules["modules"]), _),
        _post_test(facts, int(rules["post_test_min"]), _, pct),
        _attendance(facts, int(rules["attendance_min"]), _, pct),
        _at_least("roleplays_min", facts.roleplays_taken, int(rules["roleplays_min"]),
                  _("role-plays: no minimum"),
                  _("role-plays taken part in: %(count)d, at least %(min)d",
                    count=facts.roleplays_taken, min=int(rules["roleplays_min"]))),
        _rtl(facts, bool(rules["rtl"]), _),
        _at_least("practice_min", facts.practice_signed, int(rules["practice_min"]),
                  _("field practice: no minimum"),
                  _("field-practice entries signed off: %(count)d, at least %(min)d",
                    count=facts.practice_signed, min=int(rules["practice_min"]))),
    ])
