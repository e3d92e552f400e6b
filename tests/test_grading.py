"""Grading rules per question type, on hand-made questions with hand-worked answers."""
import pytest

from lms.assessment.question_types import QUESTION_TYPES, normalise_text, parse_number
from lms.assessment.scoring import score_answers

SINGLE = {"type": "single", "points": 1, "options": [
    {"text": "a", "correct": False}, {"text": "b", "correct": True}, {"text": "c", "correct": False}]}
MULTIPLE = {"type": "multiple", "points": 2, "options": [
    {"text": "a", "correct": True}, {"text": "b", "correct": True},
    {"text": "c", "correct": False}, {"text": "d", "correct": False}]}
TF = {"type": "true_false", "points": 1, "answer": False}
ORDERING = {"type": "ordering", "points": 4, "items": ["w", "x", "y", "z"]}
MATCHING = {"type": "matching", "points": 3, "pairs": [["a", "1"], ["b", "2"], ["c", "3"]]}
SHORT = {"type": "short", "points": 1, "answers": ["SAPA 129", "129"]}
NUMERIC = {"type": "numeric", "points": 1, "value": 24.0, "tolerance": 0.5}
ESSAY = {"type": "essay", "points": 4, "rubric": [{"criterion": "x", "points": 4}]}


def grade(question, answer):
    return QUESTION_TYPES[question["type"]].grade(question, answer)


@pytest.mark.parametrize("question, answer, expected", [
    (SINGLE, 1, 1.0), (SINGLE, 0, 0.0), (SINGLE, None, 0.0),
    # multiple: (correct chosen - wrong chosen) / correct count, floored at 0
    (MULTIPLE, [0, 1], 1.0), (MULTIPLE, [0], 0.5), (MULTIPLE, [0, 2], 0.0),
    (MULTIPLE, [0, 1, 2], 0.5), (MULTIPLE, [2, 3], 0.0), (MULTIPLE, [], 0.0),
    (TF, False, 1.0), (TF, True, 0.0), (TF, None, 0.0),
    # ordering: positions per item; credit per item in its right place
    (ORDERING, [1, 2, 3, 4], 1.0), (ORDERING, [2, 1, 3, 4], 0.5), (ORDERING, [4, 3, 2, 1], 0.0),
    (ORDERING, [1, None, None, 4], 0.5),
    # matching: chosen partner per left item
    (MATCHING, [0, 1, 2], 1.0), (MATCHING, [1, 0, 2], pytest.approx(1 / 3)), (MATCHING, None, 0.0),
    (SHORT, "  sapa   129 ", 1.0), (SHORT, "Sapa129", 0.0), (SHORT, "129", 1.0), (SHORT, None, 0.0),
    (NUMERIC, "24", 1.0), (NUMERIC, "24,5", 1.0), (NUMERIC, "23.4", 0.0), (NUMERIC, "dua", 0.0),
    (ESSAY, "jawaban", None),
])
def test_grade(question, answer, expected):
    assert grade(question, answer) == expected


@pytest.mark.parametrize("text, number", [
    ("2,5", 2.5), ("2.5", 2.5), ("1.000,5", 1000.5), (" 24 ", 24.0), ("", None), ("x", None)])
def test_parse_number_reads_indonesian_and_english_decimals(text, number):
    assert parse_number(text) == number


def test_normalise_text():
    assert normalise_text("  LPSK   148\n") == "lpsk 148"


def test_parse_reads_forms_and_ignores_junk():
    form = {"q0": "1", "q1": ["0", "3", "9", "x"], "q3_0": "2", "q3_1": "7", "q4_0": "1", "q4_2": "-1"}
    assert QUESTION_TYPES["single"].parse(SINGLE, form, "q0") == 1
    assert QUESTION_TYPES["single"].parse(SINGLE, {"q0": "5"}, "q0") is None
    assert QUESTION_TYPES["multiple"].parse(MULTIPLE, form, "q1") == [0, 3]
    assert QUESTION_TYPES["ordering"].parse(ORDERING, form, "q3") == [2, None, None, None]
    assert QUESTION_TYPES["matching"].parse(MATCHING, form, "q4") == [1, None, None]
    assert QUESTION_TYPES["true_false"].parse(TF, {"q": "false"}, "q") is False


def test_score_adds_points_and_waits_for_essays():
    questions = [SINGLE, MULTIPLE, ESSAY]
    answers = {"0": 1, "1": [0], "2": "teks"}
    pending = score_answers(questions, answers)
    assert pending.points is None and pending.credits == {"0": 1.0, "1": 0.5, "2": None}
    # 1 + 2*0.5 + 4*0.75 = 5 of 7 points = 71.4 %
    done = score_answers(questions, answers, reviewed={"2": 0.75})
    assert done.points == 5.0 and done.max_points == 7.0 and done.percent == 71.4


def test_an_empty_essay_needs_no_review_and_earns_nothing():
    score = score_answers([SINGLE, ESSAY], {"0": 1})
    assert score.credits["1"] == 0.0 and score.percent == 20.0
