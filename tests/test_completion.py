"""Module completion and attendance rules, without a database."""
import pytest

from lms.assessment.completion import AttemptSummary, ModuleState, module_state
from lms.cohorts.attendance import attendance_rate
from lms.core.personal_data import personal_data_found

PASSED = AttemptSummary(passed=True, started=True)
WAITING = AttemptSummary(awaiting_review=True, started=True)
FAILED = AttemptSummary(started=True)


@pytest.mark.parametrize("read, quizzes, summaries, state", [
    (False, [], {}, ModuleState.NOT_STARTED),
    (True, [], {}, ModuleState.COMPLETE),                              # reading is all it needs
    (True, ["kuis"], {}, ModuleState.IN_PROGRESS),
    (True, ["kuis"], {"kuis": FAILED}, ModuleState.IN_PROGRESS),
    (True, ["kuis"], {"kuis": PASSED}, ModuleState.COMPLETE),
    (False, ["kuis"], {"kuis": PASSED}, ModuleState.IN_PROGRESS),     # passed but not read
    (True, ["kuis", "kasus"], {"kuis": PASSED, "kasus": WAITING}, ModuleState.AWAITING_REVIEW),
    (True, ["kuis", "kasus"], {"kuis": PASSED, "kasus": PASSED}, ModuleState.COMPLETE),
    (False, ["kasus"], {"kasus": WAITING}, ModuleState.AWAITING_REVIEW),
])
def test_module_state(read, quizzes, summaries, state):
    assert module_state(read, quizzes, summaries) == state


@pytest.mark.parametrize("present, excused, taken, rate", [
    (0, 0, 0, None), (2, 0, 4, 0.5), (2, 2, 4, 1.0), (0, 1, 1, 1.0), (3, 1, 4, 1.0), (1, 1, 4, 1 / 3)])
def test_attendance_rate_leaves_out_excused_sessions(present, excused, taken, rate):
    assert attendance_rate(present, excused, taken) == (pytest.approx(rate) if rate is not None else None)


@pytest.mark.parametrize("text, found", [
    ("Mendampingi korban ke UPTD PPA.", []),
    ("NIK 3201234567890123 dicatat", ["nik"]),
    ("NIK 3201 2345 6789 0123", ["nik"]),
    ("hubungi 0812-3456-7890", ["phone"]),
    ("WA +62 812 3456 7890", ["phone"]),
    ("email sari@contoh.org", ["email"]),
    ("SAPA 129 dan LPSK 148 dihubungi", []),
    ("tanggal 12-11-2026, 3 orang", []),
])
def test_personal_data_is_spotted(text, found):
    assert personal_data_found(text) == found
