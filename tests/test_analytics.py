"""Learning gain and item analysis on hand-made data, answers worked out by hand."""
import pytest

from lms.assessment.analytics import gain_report, item_analysis, module_percents, normalised_gain


@pytest.mark.parametrize("pre, post, gain", [
    (40, 70, 0.5),        # learned half of the 60 points still to learn
    (20, 20, 0.0),
    (50, 40, -0.2),       # forgot: (40-50)/50
    (0, 100, 1.0),
    (100, 100, None),     # nothing left to learn: undefined
    (None, 80, None),
])
def test_normalised_gain(pre, post, gain):
    assert normalised_gain(pre, post) == (pytest.approx(gain) if gain is not None else None)


def test_module_percents_weights_by_points_and_skips_untagged_and_unreviewed():
    questions = [{"module": "a", "points": 1}, {"module": "a", "points": 3},
                 {"module": "b", "points": 2}, {"points": 5}, {"module": "b", "points": 2}]
    credits = {"0": 1.0, "1": 0.0, "2": 0.5, "3": 1.0, "4": None}
    # a: (1*1 + 3*0) / 4 = 25 %; b: 2*.5 / 2 = 50 % (the unreviewed essay is left out)
    assert module_percents(questions, credits) == {"a": 25.0, "b": 50.0}


def test_group_gain_uses_means_and_per_module_gain_shows_what_was_not_learned():
    pairs = [
        (40.0, {"ham": 50.0, "rujukan": 30.0}, 80.0, {"ham": 100.0, "rujukan": 60.0}),
        (20.0, {"ham": 30.0, "rujukan": 10.0}, 40.0, {"ham": 70.0, "rujukan": 10.0}),
    ]
    report = gain_report(pairs)
    # mean pre 30, mean post 60: (60-30)/(100-30) = 0.4286
    assert report.pre == 30.0 and report.post == 60.0 and report.gain == pytest.approx(30 / 70)
    # ham: pre 40 post 85 -> 45/60 = .75 ; rujukan: pre 20 post 35 -> 15/80 = .1875
    assert report.modules["ham"] == (40.0, 85.0, pytest.approx(0.75))
    assert report.modules["rujukan"] == (20.0, 35.0, pytest.approx(0.1875))
    assert report.people == 2


def test_item_analysis_difficulty_discrimination_and_flags():
    # Six people ranked by total; thirds of 2. Question 0 everyone right; question 1 only
    # the top two; question 2 only the bottom two (discriminates negatively); question 3
    # partial credit .5 for all but one 0.
    attempts = [
        (10.0, {"0": 1.0, "1": 0.0, "2": 1.0, "3": 0.0}),
        (20.0, {"0": 1.0, "1": 0.0, "2": 1.0, "3": 0.5}),
        (40.0, {"0": 1.0, "1": 0.0, "2": 0.0, "3": 0.5}),
        (50.0, {"0": 1.0, "1": 0.0, "2": 0.0, "3": 0.5}),
        (80.0, {"0": 1.0, "1": 1.0, "2": 0.0, "3": 0.5}),
        (90.0, {"0": 1.0, "1": 1.0, "2": 0.0, "3": 0.5}),
    ]
    stats = item_analysis(4, attempts)
    assert (stats[0].difficulty, stats[0].discrimination, stats[0].flags) == (1.0, 0.0, ("too_easy",))
    assert stats[1].difficulty == pytest.approx(2 / 6) and stats[1].discrimination == 1.0
    assert stats[1].flags == ()
    assert stats[2].discrimination == -1.0 and "negative" in stats[2].flags
    # q3: mean (0 + .5*5)/6 = .4167; top (.5,.5) - bottom (0,.5) = .25
    assert stats[3].difficulty == pytest.approx(2.5 / 6) and stats[3].discrimination == 0.25


def test_item_analysis_with_too_few_people_gives_no_discrimination():
    stats = item_analysis(1, [(50.0, {"0": 0.0}), (60.0, {"0": 0.0})])
    assert stats[0].discrimination is None and stats[0].flags == ("too_hard",)
