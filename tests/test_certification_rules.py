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
    {}, {"states": [DONE, HALF, DONE]}, {"post": None}, {"post": 65.5},
    {"attendance": AttendanceCount(present=6, excused=0, taken=8)}, {"attendance": AttendanceCount()},
    {"rtl": ReviewState.SUBMITTED}, {"practice_signed": 0}, {"roleplays_taken": 0}])
@pytest.mark.parametrize("rules", [{}, {"attendance_min": 0, "rtl": False}, {"practice_min": 0, "modules": False}])
def test_counting_without_explanations_decides_exactly_as_with_them(ctx, changes, rules):
    trainee, chosen = facts(**changes), {**DEFAULT_RULES, **rules}
    explained, counted = evaluate(trainee, chosen), evaluate(trainee, chosen, explain=False)
    assert [(r.key, r.on, r.met) for r in counted.results] == [(r.key, r.on, r.met) for r in explained.results]
    assert counted.eligible == explained.eligible
    assert all(r.text == "" for r in counted.results) and all(r.text for r in explained.results)


@given(post=st.one_of(st.none(), st.floats(0, 100, allow_nan=False)), minimum=st.integers(0, 100),
       done=st.integers(0, 3), present=st.integers(0, 8),
       rtl=st.sampled_from([ReviewState.APPROVED, ReviewState.SUBMITTED, "none"]))
def test_a_standing_and_the_one_decided_alike_get_the_same_decision(post, minimum, done, present, rtl):
    """The cohort's count decides each `decided_alike` standing once: any post-test score
    (79.999 against 80 too) must come out as its stand-in does."""
    from lms.certification.rules import decided_alike
    from lms.records.facts import Standing
    rules = {**DEFAULT_RULES, "post_test_min": minimum}
    standing = Standing(done, 3, post, AttendanceCount(present=present, excused=0, taken=8), rtl, 2, 1)
    alike = decided_alike(standing, rules)
    assert evaluate(alike, rules, explain=False).eligible == evaluate(standing, rules, explain=False).eligible
    assert (alike.post is None) == (post is None)
    assert (alike.modules_done, alike.attendance, alike.rtl) == (done, standing.attendance, rtl)


def test_scores_either_side_of_the_minimum_are_decided_apart():
    from lms.certification.rules import decided_alike
    from lms.records.facts import Standing
    rules = {**DEFAULT_RULES, "post_test_min": 80}
    stand = [Standing(3, 3, post, AttendanceCount(8, 0, 8), ReviewState.APPROVED, 3, 1) for post in (79.9, 80.0, 97.5)]
    below, at, above = (decided_alike(s, rules) for s in stand)
    assert at == above != below
