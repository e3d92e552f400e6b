"""Reports built from attempts: learning gain per person and group, item analysis per quiz."""
from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa

from lms.assessment.analytics import (
    GainReport,
    ItemStat,
    gain_report,
    item_analysis,
    module_percents,
)
from lms.assessment.attempts import current_version
from lms.assessment.completion import AttemptSummary, summarise_attempts
from lms.assessment.models import Attempt, AttemptStatus, Quiz, QuizVersion
from lms.assessment.versions import definitions
from lms.content.render import render_markdown
from lms.core.built_once import BuiltOnce
from lms.extensions import db
from lms.learning.models import Module, Track


class Graded(NamedTuple):
    """What gain reads of a graded attempt: its score, its percents per module (or, stored before
    those were, its credits), and the version graded on."""

    score_percent: float | None
    module_percents: dict | None
    credits: dict | None
    version_id: int
    content_hash: str | None


# Scores and percents per module only: the layout, answers and credits (JSON to decode) are not
# needed for gain, nor the version's definition, which `versions` decodes once per process. The
# credits are read only where the percents were not stored (attempts graded before they were).
_ATTEMPTS_OF = (sa.select(Attempt.user_id, Attempt.quiz_slug, Attempt.status, Attempt.passed, Attempt.score_percent,
                          Attempt.module_percents,
                          sa.case((Attempt.module_percents.is_(None), Attempt.credits), else_=sa.null()),
                          Attempt.quiz_version_id, QuizVersion.content_hash)
                .outerjoin(QuizVersion, QuizVersion.id == Attempt.quiz_version_id))
_ATTEMPTS = _ATTEMPTS_OF.where(Attempt.user_id.in_(sa.bindparam("user_ids", expanding=True)),
                               Attempt.quiz_slug.in_(sa.bindparam("quiz_slugs", expanding=True)))


def _first_graded_of(rows) -> dict[tuple[int, str], Graded]:
    """Each person's first graded attempt at each quiz (policy FIRST_GRADED: pre/post-tests),
    from rows in attempt order."""
    first: dict[tuple[int, str], Graded] = {}
    for user_id, slug, status, _passed, percent, by_module, credits, version_id, content_hash in rows:
        if status == AttemptStatus.GRADED and (user_id, slug) not in first:
            first[(user_id, slug)] = Graded(percent, by_module, credits, version_id, content_hash)
    return first


def _first_graded(user_ids, quiz_slugs: list[str]) -> dict[tuple[int, str], Graded]:
    rows = db.session.execute(_ATTEMPTS.where(Attempt.status == AttemptStatus.GRADED).order_by(Attempt.number),
                              {"user_ids": list(user_ids), "quiz_slugs": list(quiz_slugs)})
    return _first_graded_of(rows)


def attempts_overview(user_id: int, quiz_slugs) -> tuple[dict[str, AttemptSummary], dict[tuple[int, str], Graded]]:
    """One person's attempts at these quizzes, read once for both what completion needs (a
    summary per quiz) and what gain needs (the first graded attempt per quiz), in one query."""
    if not quiz_slugs:
        return {}, {}
    rows = db.session.execute(_ATTEMPTS.order_by(Attempt.number),
                              {"user_ids": [user_id], "quiz_slugs": sorted(quiz_slugs)}).all()
    summaries = summarise_attempts((u, slug, status, passed) for u, slug, status, passed, *_rest in rows)
    return {slug: summary for (_u, slug), summary in summaries.items()}, _first_graded_of(rows)


def _percents(attempt: Graded, definitions: dict[int, dict]) -> tuple[float, dict[str, float]]:
    if attempt.module_percents is not None:
        return attempt.score_percent or 0.0, attempt.module_percents
    questions = definitions[attempt.version_id]["questions"]
    return attempt.score_percent or 0.0, module_percents(questions, attempt.credits or {})


def track_gain(user_ids: list[int], track: Track) -> tuple[GainReport, dict[int, GainReport]]:
    """The group's gain and each person's, for people who took both tests of the track."""
    return track_gains(user_ids, [track])[track.slug]


def track_gains(user_ids: list[int], tracks: list[Track],
                first: dict[tuple[int, str], Graded] | None = None) -> dict[str, tuple[GainReport, dict[int, GainReport]]]:
    """`track_gain` for several tracks, reading the attempts once (or not at all when the
    caller already has the first graded attempts, from `attempts_overview`)."""
    tested = [t for t in tracks if t.pretest_slug and t.posttest_slug]
    if first is None:
        first = _first_graded(user_ids, [s for t in tested for s in (t.pretest_slug, t.posttest_slug)]) \
            if tested else {}
    tests = {s for t in tested for s in (t.pretest_slug, t.posttest_slug)}
    known = definitions({(a.version_id, a.content_hash) for (_u, slug), a in first.items()
                         if slug in tests and a.module_percents is None})
    gains = {t.slug: (gain_report([]), {}) for t in tracks}
    gains.update({t.slug: _gain_of(user_ids, t, first, known) for t in tested})
    return gains


# A group's tests' attempts, per people-select (the same select object each call) and tests.
_GROUP_ATTEMPTS: BuiltOnce[tuple] = BuiltOnce()


def pre_post_pairs(people, track: Track, params: dict | None = None) -> dict[int, tuple]:
    """What `gain_report` reads of each of `people` (a select of user ids, with bind `params`, so
    a cohort of 10,000 needs no IN-list of 10,000 ids) who took both of the track's tests:
    (pre %, pre per module, post %, post per module), by user id. One indexed query of the
    tests' graded attempts (score and percents per module, stored when graded); attempts graded
    before the percents were stored are worked out from their credits."""
    if not (track.pretest_slug and track.posttest_slug):
        return {}
    tests = (track.pretest_slug, track.posttest_slug)
    # The entry keeps the select, so its id stays its own.
    _people, query = _GROUP_ATTEMPTS.get((id(people), tests), lambda: (people, _group_attempts(people, tests)))
    first = _first_graded_of(db.session.execute(query, params or {}))
    known = definitions({(a.version_id, a.content_hash) for a in first.values() if a.module_percents is None})
    pairs = {}
    for (user_id, slug), pre in first.items():
        post = first.get((user_id, track.posttest_slug)) if slug == track.pretest_slug else None
        if post is not None:
            pairs[user_id] = (*_percents(pre, known), *_percents(post, known))
    return pairs


def _group_attempts(people, tests: tuple[str, str]) -> sa.Select:
    """The graded attempts at the two tests of those among `people` who took both: the others'
    count for nothing, and decoding their credits was half the work."""
    took = [sa.exists().where(other.user_id == Attempt.user_id, other.quiz_slug == slug,
                              other.status == AttemptStatus.GRADED)
            for slug, other in ((slug, sa.orm.aliased(Attempt)) for slug in tests)]
    return (_ATTEMPTS_OF.where(Attempt.user_id.in_(people), Attempt.quiz_slug.in_(tests),
                               Attempt.status == AttemptStatus.GRADED, *took)
            .order_by(Attempt.number))


def _gain_of(user_ids, track: Track, first, known) -> tuple[GainReport, dict[int, GainReport]]:
    per_person, pairs = {}, []
    for user_id in user_ids:
        pre, post = first.get((user_id, track.pretest_slug)), first.get((user_id, track.posttest_slug))
        pre_p = _percents(pre, known) if pre else None
        post_p = _percents(post, known) if post else None
        if pre_p and post_p:
            pairs.append((*pre_p, *post_p))
            per_person[user_id] = gain_report([pairs[-1]])
        else:
            per_person[user_id] = GainReport(pre_p[0] if pre_p else None,
                                             post_p[0] if post_p else None, None, people=0)
    return gain_report(pairs), per_person


def quiz_item_analysis(quiz: Quiz, people) -> tuple[list[dict], list[ItemStat], int]:
    """Item analysis of the current version of a quiz over the first graded attempt per person.

    `people` is a select of user ids (or None for everyone) the viewer may see.
    """
    version = current_version(quiz)
    # The three columns it reads: a whole attempt is its layout and answers too, three JSON
    # documents to decode per attempt (10,000 attempts: 0.8 s).
    query = sa.select(Attempt.user_id, Attempt.score_percent, Attempt.credits).where(
        Attempt.quiz_version_id == version.id, Attempt.status == AttemptStatus.GRADED)
    if people is not None:
        query = query.where(Attempt.user_id.in_(people))
    first: dict[int, tuple[float, dict]] = {}
    for user_id, percent, credits in db.session.execute(query.order_by(Attempt.number)):
        first.setdefault(user_id, (percent or 0.0, credits))
    questions = version.definition["questions"]
    data = list(first.values())
    return questions, item_analysis(len(questions), data), len(data)


# Lists of modules and quizzes name them and follow their slugs: a module's body (hundreds of
# KB for a track) and a quiz's texts are never read for a list.
_MODULE_LIST = (sa.orm.defer(Module.body_html), sa.orm.defer(Module.objectives), sa.orm.defer(Module.methods))
_QUIZ_LIST = sa.orm.load_only(Quiz.slug, Quiz.title, Quiz.kind, Quiz.retired_at)


def _track_modules(track_slugs) -> list[Module]:
    return list(db.session.scalars(sa.select(Module).options(*_MODULE_LIST).where(
        Module.track_slug.in_(track_slugs), Module.retired_at.is_(None)).order_by(Module.order)))


def track_quizzes(track: Track | None, modules: list[Module] | None = None) -> list[Quiz]:
    """The quizzes a track uses, in the order a trainee meets them: the pre-test, each
    module's quiz and case analyses, the post-test (retired ones left out). `modules` are the
    track's active modules in order, when the caller has read them already."""
    if track is None:
        return []
    slugs = [track.pretest_slug]
    for module in _track_modules([track.slug]) if modules is None else modules:
        slugs += [module.quiz_slug, *(module.case_slugs or [])]
    slugs.append(track.posttest_slug)
    slugs = list(dict.fromkeys(s for s in slugs if s))
    quizzes = {q.slug: q for q in db.session.scalars(sa.select(Quiz).options(_QUIZ_LIST).where(
        Quiz.slug.in_(slugs), Quiz.retired_at.is_(None)))}
    return [quizzes[s] for s in slugs if s in quizzes]


def tracks_using(quiz_slug: str) -> set[str]:
    """Slugs of the tracks whose pre/post-test or modules use this quiz."""
    tracks = set(db.session.scalars(sa.select(Track.slug).where(
        sa.or_(Track.pretest_slug == quiz_slug, Track.posttest_slug == quiz_slug))))
    modules = db.session.scalars(sa.select(Module).options(*_MODULE_LIST).where(Module.retired_at.is_(None)))
    return tracks | {m.track_slug for m in modules
                     if m.quiz_slug == quiz_slug or quiz_slug in (m.case_slugs or [])}


def item_rows(questions: list[dict], stats: list[ItemStat]) -> list[dict]:
    """What the item-analysis page shows per question: the prompt as sanitised HTML (older
    versions kept only the Markdown), the type and the module's title."""
    titles = dict(db.session.execute(sa.select(Module.slug, Module.title).where(
        Module.slug.in_({q["module"] for q in questions if q.get("module")}))).all())
    return [{"number": n, "type": q["type"], "stat": stat,
             "prompt_html": q.get("prompt_html") or render_markdown(q.get("prompt", "")),
             "module": titles.get(q.get("module"), q.get("module"))}
            for n, (q, stat) in enumerate(zip(questions, stats), 1)]
