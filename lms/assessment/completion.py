"""Module completion: read, its quiz passed, its case analyses graded at or above the pass mark.

Computed in bulk for many people and modules with a fixed number of queries, so a cohort
matrix of 1,000 trainees by 25 modules costs the same few queries as one trainee.
"""
from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from lms.assessment.models import Attempt, AttemptStatus
from lms.extensions import db
from lms.learning.models import Module, ModuleProgress


class ModuleState(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    AWAITING_REVIEW = "awaiting_review"
    COMPLETE = "complete"


@dataclass(frozen=True)
class AttemptSummary:
    """What completion needs of a person's attempts at one quiz."""

    passed: bool = False
    awaiting_review: bool = False
    started: bool = False


_NOTHING = AttemptSummary()


def module_state(read: bool, required_quizzes: list[str], summaries: dict[str, AttemptSummary]) -> ModuleState:
    """The state of one module for one person (a plain rule, tested without a database)."""
    return _state(read, [summaries.get(slug, _NOTHING) for slug in required_quizzes])


def _state(read: bool, results: list[AttemptSummary]) -> ModuleState:
    if read and all(r.passed for r in results):
        return ModuleState.COMPLETE
    if any(r.awaiting_review and not r.passed for r in results):
        return ModuleState.AWAITING_REVIEW
    if read or any(r.started for r in results):
        return ModuleState.IN_PROGRESS
    return ModuleState.NOT_STARTED


def required_quizzes(module: Module) -> list[str]:
    """The quiz and case analyses a module requires, by slug."""
    return ([module.quiz_slug] if module.quiz_slug else []) + list(module.case_slugs or [])


def _result_flags():
    """Per attempt row, as SQL: passed (graded and passed), awaiting review."""
    passed = sa.case((sa.and_(Attempt.status == AttemptStatus.GRADED, Attempt.passed.is_(True)), 1), else_=0)
    waiting = sa.case((Attempt.status == AttemptStatus.AWAITING_REVIEW, 1), else_=0)
    return passed, waiting


def _quiz_results(people, quiz_slugs):
    """Per (person, quiz) they started: passed, awaiting review (0/1), aggregated in SQL.

    `people` is a list of user ids or a select of them (a cohort's enrolments), so a cohort
    of 10,000 needs no IN-list of 10,000 ids.
    """
    passed, waiting = _result_flags()
    return (sa.select(Attempt.user_id, Attempt.quiz_slug, sa.func.max(passed).label("passed"),
                      sa.func.max(waiting).label("waiting"))
            .where(Attempt.user_id.in_(people), Attempt.quiz_slug.in_(sorted(quiz_slugs)))
            .group_by(Attempt.user_id, Attempt.quiz_slug))


def attempt_summaries(user_ids, quiz_slugs: set[str]) -> dict[tuple[int, str], AttemptSummary]:
    """Per (user, quiz): passed (policy ANY_PASSED), awaiting review, started. One query, one
    row per (user, quiz) whatever the number of attempts."""
    if not quiz_slugs or (isinstance(user_ids, list | tuple | set) and not user_ids):
        return {}
    return {(user_id, slug): AttemptSummary(passed=bool(passed), awaiting_review=bool(waiting), started=True)
            for user_id, slug, passed, waiting in db.session.execute(_quiz_results(user_ids, quiz_slugs))}


def summarise_attempts(rows) -> dict[tuple[int, str], AttemptSummary]:
    """`attempt_summaries` of rows (user id, quiz slug, status, passed) a caller already read."""
    flags: dict[tuple[int, str], dict[str, bool]] = defaultdict(dict)
    for user_id, slug, status, passed in rows:
        f = flags[(user_id, slug)]
        f["started"] = True
        f["passed"] = f.get("passed", False) or (status == AttemptStatus.GRADED and bool(passed))
        f["awaiting_review"] = f.get("awaiting_review", False) or status == AttemptStatus.AWAITING_REVIEW
    return {key: AttemptSummary(**f) for key, f in flags.items()}


def completion_states(user_ids: list[int], modules: list[Module]) -> dict[tuple[int, str], ModuleState]:
    """State of each (user, module slug), in two queries whatever the sizes."""
    slugs = [m.slug for m in modules]
    read = set()
    if user_ids and slugs:
        read = set(tuple(row) for row in db.session.execute(
            sa.select(ModuleProgress.user_id, ModuleProgress.module_slug)
            .where(ModuleProgress.user_id.in_(user_ids), ModuleProgress.module_slug.in_(slugs))
        ))
    needed = [(m.slug, required_quizzes(m)) for m in modules]
    summaries = attempt_summaries(user_ids, {q for _slug, qs in needed for q in qs})
    states = {}
    for user_id in user_ids:
        for slug, quizzes in needed:
            results = [summaries.get((user_id, q), _NOTHING) for q in quizzes]
            states[(user_id, slug)] = _state((user_id, slug) in read, results)
    return states


# --- the same rule in SQL, for a whole cohort at once -------------------------------------
#
# A cohort's summary and filtered grid ask "how many trainees ..." of 25,000 cells; reading
# them into Python, or even spreading them into rows in the database, costs more than the
# page may. Instead each person gets one row of bit masks over the module positions (bit i:
# the i-th module of `modules`), built from two GROUP BY user_id in the database and decided
# exactly as `_state` decides a cell (the tests hold them to it):
#   complete: read, and every required quiz passed
#   awaiting: some required quiz awaits review and is not passed (so: not complete)
#   active:   read, or some required quiz started (not NOT_STARTED)
# IN_PROGRESS is active and neither of the others.

MASK_BITS = 62   # bits of a signed 64-bit integer safe to shift and sum into


def _bit(i: int) -> int:
    return 1 << i


def _quiz_bits(modules: list[Module]) -> dict[str, int] | None:
    """A bit per required quiz; a module's only quiz takes the module's own position, so the
    common case needs no per-module expression. None when there are too many to fit."""
    bits: dict[str, int] = {}
    for i, m in enumerate(modules):
        quizzes = required_quizzes(m)
        if len(quizzes) == 1 and quizzes[0] not in bits:
            bits[quizzes[0]] = i
    free = (i for i in range(MASK_BITS) if i not in set(bits.values()))
    for m in modules:
        for q in required_quizzes(m):
            if q not in bits:
                bits[q] = next(free, None)
                if bits[q] is None:
                    return None
    return bits


def masks_fit(modules: list[Module]) -> bool:
    return len(modules) <= MASK_BITS and _quiz_bits(modules) is not None


def completion_masks(people, modules: list[Module]):
    """A subquery of (user_id, complete, awaiting, active) masks, one row per person of
    `people` (a select of user ids); check `masks_fit(modules)` first."""
    person = people.subquery("person")
    zero = sa.literal(0, sa.BigInteger)
    if not modules:
        return sa.select(person.c[0].label("user_id"), zero.label("complete"), zero.label("awaiting"),
                         zero.label("active")).subquery("completion_masks")
    bits = _quiz_bits(modules)
    read_bit = sa.case({m.slug: _bit(i) for i, m in enumerate(modules)}, value=ModuleProgress.module_slug, else_=0)
    # (user, module) is unique: the sum of distinct bits is their OR. Other modules' and
    # quizzes' rows add 0; not filtering them out in SQL spares SQLite a probe of the index
    # per (person, slug) pair, 25,000 for a cohort of 1,000.
    read = (sa.select(ModuleProgress.user_id, sa.cast(sa.func.sum(read_bit), sa.BigInteger).label("read"))
            .where(ModuleProgress.user_id.in_(people))
            .group_by(ModuleProgress.user_id).subquery("read"))
    columns = [sa.func.coalesce(read.c.read, 0)]
    query_from = person.outerjoin(read, read.c.user_id == person.c[0])
    if bits:
        quiz_bit = sa.case({q: _bit(b) for q, b in bits.items()}, value=Attempt.quiz_slug, else_=0)
        passed, waiting = _result_flags()

        def any_of(flag):   # SUM(DISTINCT bit) over many attempts: the OR of their quizzes' bits
            return sa.cast(sa.func.sum(sa.distinct(sa.case((flag == 1, quiz_bit), else_=0))), sa.BigInteger)
        tried = (sa.select(Attempt.user_id, any_of(passed).label("passed"), any_of(waiting).label("waiting"),
                           sa.cast(sa.func.sum(sa.distinct(quiz_bit)), sa.BigInteger).label("started"))
                 .where(Attempt.user_id.in_(people))
                 .group_by(Attempt.user_id).subquery("tried"))
        query_from = query_from.outerjoin(tried, tried.c.user_id == person.c[0])
        columns += [sa.func.coalesce(tried.c.passed, 0), sa.func.coalesce(tried.c.waiting, 0),
                    sa.func.coalesce(tried.c.started, 0)]
    else:
        columns += [zero, zero, zero]
    flags = (sa.select(person.c[0].label("user_id"), *(c.label(n) for c, n in zip(
        columns, ("read", "passed", "waiting", "started"), strict=True))).select_from(query_from)
        .subquery("attempt_flags"))
    r, p, w, st = flags.c.read, flags.c.passed, flags.c.waiting, flags.c.started
    not_passed_waiting = w.bitwise_and(p.bitwise_not())
    direct = zero_quiz = 0
    complete, awaiting, active = [], [], [r]
    for i, m in enumerate(modules):
        quizzes = required_quizzes(m)
        if not quizzes:
            zero_quiz |= _bit(i)
        elif len(quizzes) == 1 and bits[quizzes[0]] == i:
            direct |= _bit(i)
        else:
            need = sum({_bit(bits[q]) for q in quizzes})
            complete.append(sa.case((sa.and_(r.bitwise_and(_bit(i)) != 0, p.bitwise_and(need) == need), _bit(i)),
                                    else_=0))
            awaiting.append(sa.case((not_passed_waiting.bitwise_and(need) != 0, _bit(i)), else_=0))
            active.append(sa.case((st.bitwise_and(need) != 0, _bit(i)), else_=0))
    if direct:
        complete.append(r.bitwise_and(p).bitwise_and(direct))
        awaiting.append(not_passed_waiting.bitwise_and(direct))
        active.append(st.bitwise_and(direct))
    if zero_quiz:
        complete.append(r.bitwise_and(zero_quiz))

    def union(parts):   # the parts cover distinct modules: OR them
        if not parts:
            return zero
        out = parts[0]
        for part in parts[1:]:
            out = out.bitwise_or(part)
        return sa.cast(out, sa.BigInteger)
    return sa.select(flags.c.user_id, union(complete).label("complete"), union(awaiting).label("awaiting"),
                     union(active).label("active")).subquery("completion_masks")


def mask_states(complete: int, awaiting: int, active: int, modules: int) -> list[ModuleState]:
    """A person's state in each module, from their masks (as `_state` decides it)."""
    return [ModuleState.COMPLETE if complete >> i & 1 else ModuleState.AWAITING_REVIEW if awaiting >> i & 1
            else ModuleState.IN_PROGRESS if active >> i & 1 else ModuleState.NOT_STARTED for i in range(modules)]


def modules_done(complete: int) -> int:
    return complete.bit_count()


def first_not_complete(complete: int, modules: int) -> int | None:
    """The position of the first module not complete in a mask, None when all are."""
    position = (~complete & (complete + 1)).bit_length() - 1
    return position if position < modules else None
