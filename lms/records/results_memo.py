"""Each trainee's results, remembered under the stamps that change with them.

A cohort's summary counts, for every trainee, which modules they completed, whether one awaits
review, their post-test score, their pre/post-test pair for the group's gain, and what
certification reads (attendance, plan, field practice, role-plays). Those are worked out from
the trainee's own rows (tens of thousands for a cohort of 1,000: attempts, reading,
attendance...) and from rows anyone's page may show (the curriculum, the cohort's sessions and
role-play runs). Each row of the first kind changes the trainee's page stamp when it is
written, and each of the second kind the site's (lms.core.page_stamps).
So each process remembers a trainee's results under both stamps, and a summary works out
again only the trainees whose stamp is new since it last counted them: in a post-test hour,
those who answered since the coordinator last looked. A change to anything site-wide gives
every trainee's results a stale key, and they are all worked out again.

The stamps are read with the cohort's members, in the statement that lists them, before any
result is worked out: a result is never older than the stamps it is kept under.
Nothing here is shared between app servers, nor needs to be.
"""
from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Iterable
from typing import NamedTuple

from lms.assessment.analytics import GainReport, group_report

LIMIT = 20_000   # trainees remembered per process, about 8 MB at most


class Results(NamedTuple):
    """One trainee's results in one cohort, against its modules and tests."""

    complete: int            # a mask over the modules' positions
    awaiting: bool           # a required quiz awaits review
    post: float | None       # the first graded post-test's percent
    pair: tuple | None       # `compact_pair` of their tests, if they took both
    # What certification reads, with `facts.Standing`'s fields but the cohort's sessions taken:
    # (modules done, post, sessions present, excused, plan's state, practice signed, runs).
    standing: tuple


class Known(NamedTuple):
    person_stamp: int
    site_stamp: int
    results: Results


class ResultsMemo:
    """Per shape (the cohort, and the modules and tests results are worked out against) and trainee, their
    `Known` results. At most `limit` trainees in all: past it the shapes counted longest ago
    are forgotten, and a cohort larger than the limit is worked out afresh each time."""

    def __init__(self, limit: int = LIMIT):
        self.limit = limit
        self._shapes: OrderedDict[Hashable, dict[int, Known]] = OrderedDict()
        self._lock = threading.Lock()   # the threaded development server shares one memo

    def of(self, shape: Hashable) -> dict[int, Known]:
        """What is known for this shape (read-only: add with `keep`)."""
        with self._lock:
            known = self._shapes.get(shape)
            if known is None:
                return {}
            self._shapes.move_to_end(shape)
            return known

    def keep(self, shape: Hashable, found: dict[int, Known]) -> None:
        if len(found) > self.limit:
            return
        with self._lock:
            known = self._shapes.pop(shape, None) or {}
            known.update(found)
            self._shapes[shape] = known
            total = sum(len(k) for k in self._shapes.values())
            while total > self.limit and len(self._shapes) > 1:
                _shape, forgotten = self._shapes.popitem(last=False)
                total -= len(forgotten)
            if total > self.limit:
                self._shapes.clear()

    def clear(self) -> None:
        with self._lock:
            self._shapes.clear()


MEMO = ResultsMemo()

# Tests' percents per module as (modules, percents): the modules' tuple is shared by every
# trainee graded on the same version, so a trainee's pair costs two tuples of floats.
_MODULE_KEYS: dict[tuple, tuple] = {}


def _compact(by_module: dict[str, float]) -> tuple[tuple, tuple]:
    keys = tuple(by_module)
    if len(_MODULE_KEYS) > 1024:
        _MODULE_KEYS.clear()
    return _MODULE_KEYS.setdefault(keys, keys), tuple(by_module.values())


def compact_pair(pair: tuple) -> tuple:
    """(pre %, pre per module, post %, post per module) kept in less memory."""
    pre, pre_by_module, post, post_by_module = pair
    return (pre, *_compact(pre_by_module), post, *_compact(post_by_module))


def _gathered(rows: Iterable[tuple[tuple, tuple]]) -> dict[str, list[float]]:
    """Each module's percents over people, a column at a time for people sharing modules."""
    by_keys: dict[tuple, list[tuple]] = defaultdict(list)
    for keys, values in rows:
        by_keys[keys].append(values)
    gathered: dict[str, list[float]] = defaultdict(list)
    for keys, rows_of in by_keys.items():
        for module, column in zip(keys, zip(*rows_of), strict=True):
            gathered[module].extend(column)
    return gathered


def gain_of(pairs: list[tuple]) -> GainReport:
    """`gain_report` over compact pairs: the same figures (its means are exactly rounded)."""
    return group_report([p[0] for p in pairs], [p[3] for p in pairs],
                        _gathered((p[1], p[2]) for p in pairs), _gathered((p[4], p[5]) for p in pairs))
