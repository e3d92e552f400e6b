"""Role-play run rules as plain functions: groups, role assignment, rotation, participation."""
import random
from collections import Counter
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from lms.roleplays.runs import (
    assign_balanced,
    assign_in_order,
    assign_random,
    count_participation,
    split_groups,
    ticks_received,
    time_left,
)

ROLES = ["Penelepon", "Paralegal", "Pengamat"]


@pytest.mark.parametrize("n, groups, size, sizes", [
    (10, 3, None, [4, 3, 3]), (10, None, 4, [4, 3, 3]), (6, None, 3, [3, 3]),
    (5, 8, None, [1, 1, 1, 1, 1]), (7, 1, None, [7]), (1, None, 5, [1]), (0, 2, None, []),
])
def test_groups_by_count_or_size_differ_by_at_most_one(n, groups, size, sizes):
    split = split_groups(list(range(n)), groups=groups, size=size)
    assert [len(g) for g in split] == sizes
    assert sorted(p for g in split for p in g) == list(range(n))


def test_split_needs_a_count_or_a_size():
    with pytest.raises(ValueError):
        split_groups([1, 2], groups=None, size=None)


def test_split_shuffles_only_with_a_random_source():
    people = list(range(12))
    assert split_groups(people, groups=3) == [people[0:4], people[4:8], people[8:12]]
    shuffled = split_groups(people, groups=3, rng=random.Random(1))
    assert sorted(p for g in shuffled for p in g) == people and shuffled != split_groups(people, groups=3)


def test_members_beyond_the_roles_observe():
    assigned = assign_in_order(["a", "b", "c", "d", "e"], ROLES)
    assert assigned == {"a": "Penelepon", "b": "Paralegal", "c": "Pengamat", "d": None, "e": None}
    randomly = assign_random(["a", "b", "c", "d", "e"], ROLES, random.Random(3))
    assert sorted(r for r in randomly.values() if r) == sorted(ROLES)
    assert list(randomly.values()).count(None) == 2


def test_a_small_group_leaves_roles_unplayed():
    assert assign_random(["a"], ROLES, random.Random(0)) in (
        {"a": "Penelepon"}, {"a": "Paralegal"}, {"a": "Pengamat"})


def test_balanced_gives_people_who_played_a_role_another_one():
    history = {"a": Counter({"Penelepon": 1}), "b": Counter({"Paralegal": 1}),
               "c": Counter({"Pengamat": 1})}
    for seed in range(20):
        assigned = assign_balanced(["a", "b", "c"], ROLES, history, random.Random(seed))
        assert all(assigned[p] not in history[p] for p in "abc"), (seed, assigned)


def test_balanced_lets_those_who_observed_play_next():
    history = {"a": Counter({"Penelepon": 2}), "b": Counter({"Paralegal": 1}),
               "c": Counter({None: 2}), "d": Counter({None: 1, "Pengamat": 1})}
    for seed in range(20):
        assigned = assign_balanced(["a", "b", "c", "d"], ROLES, history, random.Random(seed))
        assert assigned["a"] is None, assigned          # played most: observes this time
        assert assigned["c"] is not None and assigned["d"] != "Pengamat"


def test_balanced_with_no_history_is_a_fair_assignment():
    assigned = assign_balanced(list("abcde"), ROLES, {}, random.Random(5))
    assert sorted(r for r in assigned.values() if r) == sorted(ROLES)


def test_participation_counts_each_run_once_and_skips_runs_in_setup():
    rows = [(1, 10, "live"), (1, 10, "live"), (1, 11, "live"), (2, 10, "ended"), (3, 11, "setup"),
            (3, 12, "setup"), (4, 12, "ended")]
    assert count_participation(rows) == Counter({10: 2, 11: 1, 12: 1})


def test_ticks_received_are_the_ticks_of_the_group_observers():
    people = [SimpleNamespace(user_id=u, group_number=g, role_name=r, observer=r is None)
              for u, g, r in [(1, 1, "A"), (2, 1, "B"), (3, 1, None), (4, 2, "A"), (5, 2, None)]]
    observations = [SimpleNamespace(observer_id=3, ticks=[0, 1]), SimpleNamespace(observer_id=5, ticks=[2])]
    assert ticks_received(people, observations) == Counter({1: 2, 2: 2, 4: 1})


def test_the_timer_counts_down_to_zero():
    start = datetime(2026, 12, 1, 10, 0)
    run = SimpleNamespace(started_at=start)
    assert time_left(run, 45, start + timedelta(minutes=10, seconds=30)) == 35
    assert time_left(run, 45, start + timedelta(hours=2)) == 0
    assert time_left(run, None, start) is None
    assert time_left(SimpleNamespace(started_at=None), 45) is None
