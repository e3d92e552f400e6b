"""Learning gain and item analysis: plain functions over plain numbers.

Gain is Hake's normalised gain g = (post - pre) / (100 - pre): the share of what was
still to learn that was learned. Item analysis gives, per question, the share of credit
earned (difficulty) and the top-third minus bottom-third difference (discrimination).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

TOO_EASY = 0.9
TOO_HARD = 0.2


def normalised_gain(pre: float | None, post: float | None) -> float | None:
    """(post - pre) / (100 - pre) in percent points; None when unknown or pre was 100."""
    if pre is None or post is None or pre >= 100:
        return None
    return (post - pre) / (100.0 - pre)


def module_percents(questions: list[dict], credits: dict) -> dict[str, float]:
    """Percent earned per tagged module in one attempt (untagged questions are left out)."""
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    for index, question in enumerate(questions):
        module = question.get("module")
        credit = credits.get(str(index))
        if module is None or credit is None:
            continue
        earned[module] += question["points"] * credit
        possible[module] += question["points"]
    return {m: 100.0 * earned[m] / possible[m] for m in possible if possible[m]}


@dataclass
class GainReport:
    """Pre, post and gain, overall and per module; for one trainee or averaged over many."""

    pre: float | None
    post: float | None
    gain: float | None
    modules: dict[str, tuple[float | None, float | None, float | None]] = field(default_factory=dict)
    people: int = 1


def _mean(values) -> float | None:
    # fsum: exactly rounded whatever the order, so a group's mean is the same however its
    # people's scores were gathered (one by one, or column by column from a memo).
    return math.fsum(values) / len(values) if values else None


def gain_report(pairs: list[tuple[float, dict[str, float], float, dict[str, float]]]) -> GainReport:
    """Gain of a group from (pre %, pre per module, post %, post per module) per person.

    The group's gain uses the group's mean scores (Hake's class gain), counting only people
    who took both tests, so one missing post-test does not drag the average down.
    """
    return group_report([p[0] for p in pairs], [p[2] for p in pairs],
                        _by_module(p[1] for p in pairs), _by_module(p[3] for p in pairs))


def group_report(pre: list[float], post: list[float], pre_by_module: dict[str, list[float]],
                 post_by_module: dict[str, list[float]]) -> GainReport:
    """`gain_report` from the scores gathered per test and per module (one list entry a person)."""
    modules = {}
    for module in sorted(pre_by_module.keys() | post_by_module.keys()):
        m_pre, m_post = _mean(pre_by_module.get(module, ())), _mean(post_by_module.get(module, ()))
        modules[module] = (m_pre, m_post, normalised_gain(m_pre, m_post))
    pre_mean, post_mean = _mean(pre), _mean(post)
    return GainReport(pre_mean, post_mean, normalised_gain(pre_mean, post_mean), modules, people=len(pre))


def _by_module(percents) -> dict[str, list[float]]:
    gathered: dict[str, list[float]] = defaultdict(list)
    for by_module in percents:
        for module, percent in by_module.items():
            gathered[module].append(percent)
    return gathered


@dataclass(frozen=True)
class ItemStat:
    index: int
    difficulty: float | None        # mean credit, 0..1 (share correct)
    discrimination: float | None    # mean credit in top third minus bottom third
    flags: tuple[str, ...]          # "too_easy", "too_hard", "negative"


def item_analysis(question_count: int, attempts: list[tuple[float, dict]]) -> list[ItemStat]:
    """Per question, from (total percent, credits) of each attempt."""
    ranked = sorted(attempts, key=lambda a: a[0])
    third = math.floor(len(ranked) / 3)
    bottom, top = ranked[:third], ranked[len(ranked) - third:] if third else []
    stats = []
    for index in range(question_count):
        key = str(index)
        credits = [a[1][key] for a in ranked if a[1].get(key) is not None]
        difficulty = _mean(credits)
        discrimination = None
        if third:
            high = _mean([a[1].get(key) or 0.0 for a in top])
            low = _mean([a[1].get(key) or 0.0 for a in bottom])
            discrimination = high - low
        stats.append(ItemStat(index, difficulty, discrimination, _flags(difficulty, discrimination)))
    return stats


def _flags(difficulty: float | None, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if difficulty is not None and difficulty >= TOO_EASY:
        flags.append("too_easy")
    if difficulty is not None and difficulty <= TOO_HARD:
        flags.append("too_hard")
    if discrimination is not None and discrimination < 0:
        flags.append("negative")
    return tuple(flags)


# Hake's bands for normalised gain: below 0.3 low, from 0.7 high.
LOW_GAIN, HIGH_GAIN = 0.3, 0.7


def gain_band(g: float | None) -> str | None:
    """'low', 'medium' or 'high' for a normalised gain (None when there is none)."""
    if g is None:
        return None
    if g < LOW_GAIN:
        return "low"
    return "high" if g >= HIGH_GAIN else "medium"
