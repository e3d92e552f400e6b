"""Eligibility rules as a plain function of a trainee's facts: met, unmet, switched off, and
the numbers said in Indonesian. No database, no HTTP."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.accounts.models import User
from lms.assessment.completion import ModuleState
from lms.certification.models import DEFAULT_RULES
from lms.certification.rules import evaluate
from lms.cohorts.attendance import AttendanceCount
from lms.practice.models import ReviewState
from lms.records.facts import TraineeFacts

DONE, HALF = ModuleState.COMPLETE, ModuleState.IN_PROGRESS


def facts(**changes) -> TraineeFacts:
    """A trainee who meets every default rule, changed as given."""
    values = {"user": User(username="melati", display_name="Melati"), "states": [DONE, DONE, DONE],
              "attendance": AttendanceCount(present=8, excused=0, taken=8), "pre": 40.0, "post": 85.0,
              "gain": 0.75, "rtl": ReviewState.APPROVED, "practice_signed": 3, "practice_total": 4,
              "roleplays_taken": 1}
    values.update(changes)
    return TraineeFacts(**values)


@pytest.fixture
def ctx(app):
    """Indonesian, the default language (rule texts go through the catalogue)."""
    with app.test_request_context():
        yield


def result(trainee, key, **rules):
    return next(r for r in evaluate(trainee, {**DEFAULT_RULES, **rules}).results if r.key == key)


def test_a_trainee_who_did_everything_is_eligible(ctx):
    eligibility = evaluate(facts(), DEFAULT_RULES)
    assert eligibility.eligible and eligibility.unmet == []
    assert [r.key for r in eligibility.results] == ["modules", "post_test_min", "attendance_min",
                                                     "roleplays_min", "rtl", "practice_min"]


def test_attendance_says_its_numbers(ctx):
    rule = result(facts(attendance=AttendanceCount(present=6, excused=0, taken=8)), "attendance_min")
    assert not rule.met and rule.text == "kehadiran 6 dari 8 sesi = 75%, minimal 80%"
    assert rule.numbers == {"present": 6, "excused": 0, "taken": 8, "expected": 8, "min": 80}
    # Excused sessions do not count against the trainee: 6 of 7 = 85.7%.
    met = result(facts(attendance=AttendanceCount(present=6, excused=1, taken=8)), "attendance_min")
    assert met.met and met.text == "kehadiran 6 dari 7 sesi = 85,7%, minimal 80%"


def test_attendance_just_below_the_minimum_is_not_rounded_up(ctx):
    # 79 of 99 = 79.797...%: shown as 79,7% and unmet, never "80%, minimal 80%".
    rule = result(facts(attendance=AttendanceCount(present=79, excused=0, taken=99)), "attendance_min")
    assert not rule.met and "= 79,7%" in rule.text
    exact = result(facts(attendance=AttendanceCount(present=4, excused=0, taken=5)), "attendance_min")
    assert exact.met and exact.text == "kehadiran 4 dari 5 sesi = 80%, minimal 80%"


def test_attendance_never_taken_is_unmet_until_switched_off(ctx):
    rule = result(facts(attendance=AttendanceCount()), "attendance_min")
    assert rule.on and not rule.met and "belum ada sesi yang diabsen" in rule.text
    off = result(facts(attendance=AttendanceCount()), "attendance_min", attendance_min=0)
    assert not off.on and off.met and off.text == "kehadiran: tanpa batas minimal"


def test_modules(ctx):
    rule = result(facts(states=[DONE, HALF, DONE]), "modules")
    assert not rule.met and rule.text == "modul wajib selesai: 2 dari 3"
    assert result(facts(states=[DONE, HALF]), "modules", modules=False).met
    assert not evaluate(facts(states=[DONE, HALF]), DEFAULT_RULES).eligible
    assert evaluate(facts(states=[DONE, HALF]), {**DEFAULT_RULES, "modules": False}).eligible


def test_post_test(ctx):
    low = result(facts(post=65.5), "post_test_min")
    assert not low.met and low.text == "post-test 65,5%, minimal 70%"
    assert result(facts(post=70.0), "post_test_min").met
    missing = result(facts(post=None), "post_test_min")
    assert not missing.met and missing.text == "post-test belum dikerjakan, minimal 70%"
    raised = result(facts(post=85.0), "post_test_min", post_test_min=90)
    assert not raised.met and raised.text == "post-test 85%, minimal 90%"
    assert result(facts(post=None), "post_test_min", post_test_min=0).met


def test_roleplays(ctx):
    rule = result(facts(roleplays_taken=0), "roleplays_min")
    assert not rule.met and rule.text == "ikut bermain peran: 0 kali, minimal 1"
    assert result(facts(roleplays_taken=2), "roleplays_min", roleplays_min=2).met
    assert not result(facts(roleplays_taken=2), "roleplays_min", roleplays_min=3).met
    off = result(facts(roleplays_taken=0), "roleplays_min", roleplays_min=0)
    assert off.met and not off.on


def test_rtl(ctx):
    rule = result(facts(rtl=ReviewState.SUBMITTED), "rtl")
    assert not rule.met and rule.text == "RTL menunggu penilaian, harus disetujui"
    assert "belum ditulis" in result(facts(rtl="none"), "rtl").text
    assert result(facts(rtl="none"), "rtl", rtl=False).met


def test_field_practice(ctx):
    rule = result(facts(practice_signed=2, practice_total=5), "practice_min")
    assert not rule.met and rule.text == "praktik lapangan disahkan: 2, minimal 3"
    assert result(facts(practice_signed=0), "practice_min", practice_min=0).met


def test_every_unmet_rule_is_listed(ctx):
    trainee = facts(states=[HALF], post=None, attendance=AttendanceCount(1, 0, 4), roleplays_taken=0,
                    rtl="none", practice_signed=0)
    eligibility = evaluate(trainee, DEFAULT_RULES)
    assert [r.key for r in eligibility.unmet] == ["modules", "post_test_min", "attendance_min",
                                                  "roleplays_min", "rtl", "practice_min"]
    everything_off = {"modules": False, "post_test_min": 0, "attendance_min": 0, "roleplays_min": 0,
                      "rtl": False, "practice_min": 0}
    assert evaluate(trainee, everything_off).eligible


def test_certificate_codes_never_look_like_a_command_line_option():
    from lms.certification.service import new_code
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 32 and c[0] not in "-_" for c in codes)


@pytest.mark.parametrize("changes", [
    {}, {"states": [DONE, HALF, DONE]}, {"post": None}, {"post": 65.5}, {"post": 69.9999999999},
    {"attendance": AttendanceCount(present=6, excused=0, taken=8)}, {"attendance": AttendanceCount()},
    {"attendance": AttendanceCount(present=0, excused=8, taken=8)},
    {"rtl": ReviewState.SUBMITTED}, {"practice_signed": 0}, {"roleplays_taken": 0}])
@pytest.mark.parametrize("rules", [{}, {"attendance_min": 0, "rtl": False}, {"practice_min": 0, "modules": False},
                                   {"post_test_min": 0, "roleplays_min": 0}])
def test_counting_decides_exactly_as_the_explained_rules(ctx, changes, rules):
    from lms.certification.rules import is_eligible
    trainee, chosen = facts(**changes), {**DEFAULT_RULES, **rules}
    assert is_eligible(trainee, chosen) == evaluate(trainee, chosen).eligible


@given(done=st.integers(0, 3), post=st.one_of(st.none(), st.floats(0, 100, allow_nan=False)),
       present=st.integers(0, 8), excused=st.integers(0, 8), taken=st.integers(0, 8),
       rtl=st.sampled_from([ReviewState.APPROVED, ReviewState.SUBMITTED, ReviewState.RETURNED, "none"]),
       signed=st.integers(0, 4), runs=st.integers(0, 3),
       rules=st.fixed_dictionaries({"modules": st.booleans(), "post_test_min": st.integers(0, 100),
                                    "attendance_min": st.integers(0, 100), "roleplays_min": st.integers(0, 3),
                                    "rtl": st.booleans(), "practice_min": st.integers(0, 4)}))
def test_any_standing_is_counted_as_the_explained_rules_decide_it(app, done, post, present, excused, taken, rtl,
                                                                   signed, runs, rules):
    """A cohort's count decides each standing with `is_eligible`, its own page with `evaluate`:
    they must agree on every standing and every set of rules."""
    from lms.certification.rules import is_eligible
    from lms.records.facts import Standing
    standing = Standing(done, 3, post, AttendanceCount(present=present, excused=excused, taken=taken), rtl,
                        signed, runs)
    with app.test_request_context():
        assert is_eligible(standing, rules) == evaluate(standing, rules).eligible
