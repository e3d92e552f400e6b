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
    normalised_gain,
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
    """What gain reads of a graded attempt: its score and credits, and the version graded on."""

    score_percent: float | None
    credits: dict
    version_id: int
    content_hash: str | None


# Scores and credits only: the layout and answers (JSON to decode) are not needed for gain, nor
# the version's definition, which `versions` decodes once per process.
_ATTEMPTS = (sa.select(Attempt.user_id, Attempt.quiz_slug, Attempt.status, Attempt.passed, Attempt.score_percent,
                       Attempt.credits, Attempt.quiz_version_id, QuizVersion.content_hash)
             .outerjoin(QuizVersion, QuizVersion.id == Attempt.quiz_version_id)
             .where(Attempt.user_id.in_(sa.bindparam("user_ids", expanding=True)),
                    Attempt.quiz_slug.in_(sa.bindparam("quiz_slugs", expanding=True))))


def _first_graded_of(rows) -> dict[tuple[int, str], Graded]:
    """Each person's first graded attempt at each quiz (policy FIRST_GRADED: pre/post-tests),
    from rows in attempt order."""
    first: dict[tuple[int, str], Graded] = {}
    for user_id, slug, status, _passed, percent, credits, version_id, content_hash in rows:
        if status == AttemptStatus.GRADED and (user_id, slug) not in first:
            first[(user_id, slug)] = Graded(percent, credits or {}, version_id, content_hash)
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
    questions = definitions[attempt.version_id]["questions"]
    return attempt.score_percent or 0.0, module_percents(questions, attempt.credits)


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
    known = definitions({(a.version_id, a.content_hash) for (_u, slug), a in first.items() if slug in tests})
    gains = {t.slug: (gain_report([]), {}) for t in tracks}
    gains.update({t.slug: _gain_of(user_ids, t, first, known) for t in tested})
    return gains


# A group-gain statement names every tagged question of every version of the two tests: it
# costs ten times its run to build, so it is built once per people-select, tests and versions.
_GROUP_GAIN: BuiltOnce[tuple] = BuiltOnce()


def group_gain(people, track: Track, params: dict | None = None) -> GainReport:
    """The group's gain (`track_gain`'s first part) for `people`, a select of user ids (with
    bind `params`; the same select object each call, so its statement is built once), averaged
    in the database: a cohort of any size returns one row, not two attempts per trainee. Each
    trainee's per-module percents are summed from their credits by the questions of the
    version they took (one small query for the tests' versions, whose definitions are decoded
    once per process)."""
    if not (track.pretest_slug and track.posttest_slug):
        return gain_report([])
    tests = (track.pretest_slug, track.posttest_slug)
    rows = db.session.execute(sa.select(QuizVersion.id, QuizVersion.content_hash, QuizVersion.quiz_slug)
                              .where(QuizVersion.quiz_slug.in_(tests)).order_by(QuizVersion.id)).all()
    known = definitions({(version_id, content_hash) for version_id, content_hash, _slug in rows})
    # The entry keeps the select and the definitions it was built from, so their ids stay theirs.
    key = (id(people), tests, tuple((*r, id(known.get(r[0]))) for r in rows))
    _people, _known, modules, query = _GROUP_GAIN.get(
        key, lambda: (people, known, *_group_gain_query(people, tests, rows, known)))
    people_count, pre_mean, post_mean, *per_module = db.session.execute(query, params or {}).one()
    if not people_count:
        return gain_report([])
    report = GainReport(pre_mean, post_mean, normalised_gain(pre_mean, post_mean), people=people_count)
    for i, module in enumerate(modules):
        m_pre, m_post = per_module[2 * i], per_module[2 * i + 1]
        if m_pre is not None or m_post is not None:
            report.modules[module] = (m_pre, m_post, normalised_gain(m_pre, m_post))
    return report


def _group_gain_query(people, tests: tuple[str, str], rows, known: dict[int, dict]) -> tuple[list[str], sa.Select]:
    versions = {slug: [(version_id, known[version_id]["questions"]) for version_id, _h, s in rows
                       if s == slug and version_id in known] for slug in tests}
    modules = sorted({q["module"] for vs in versions.values() for _v, questions in vs for q in questions
                      if q.get("module") is not None})
    sides = []
    for slug in tests:
        first = (sa.select(Attempt.user_id, sa.func.min(Attempt.number).label("number"))
                 .where(Attempt.user_id.in_(people), Attempt.quiz_slug == slug, Attempt.status == AttemptStatus.GRADED)
                 .group_by(Attempt.user_id).subquery())
        sides.append((first, sa.orm.aliased(Attempt), slug))
    (pre_first, pre, pre_slug), (post_first, post, post_slug) = sides
    columns = [sa.func.count(), sa.func.avg(sa.func.coalesce(pre.score_percent, 0.0)),
               sa.func.avg(sa.func.coalesce(post.score_percent, 0.0))]
    for module in modules:
        columns += [sa.func.avg(_module_percent(pre, versions[pre_slug], module)),
                    sa.func.avg(_module_percent(post, versions[post_slug], module))]
    query = (sa.select(*columns).select_from(pre_first)
             .join(post_first, post_first.c.user_id == pre_first.c.user_id)   # those who took both
             .join(pre, sa.and_(pre.user_id == pre_first.c.user_id, pre.quiz_slug == pre_slug,
                                pre.number == pre_first.c.number))
             .join(post, sa.and_(post.user_id == post_first.c.user_id, post.quiz_slug == post_slug,
                                 post.number == post_first.c.number)))
    return modules, query


def _module_percent(attempt, versions: list[tuple[int, list[dict]]], module: str):
    """As SQL, `module_percents(questions, credits)[module]` of an attempt: its credits for the
    module's questions of the version it took, weighted by points (NULL when it has none)."""
    whens = []
    for version_id, questions in versions:
        tagged = [(str(i), float(q["points"])) for i, q in enumerate(questions) if q.get("module") == module]
        if not tagged:
            continue
        credit = {key: attempt.credits[key].as_float() for key, _points in tagged}
        earned = sum(points * sa.func.coalesce(credit[key], 0.0) for key, points in tagged)
        possible = sum(sa.case((credit[key].is_(None), 0.0), else_=points) for key, points in tagged)
        whens.append((attempt.quiz_version_id == version_id, 100.0 * earned / sa.func.nullif(possible, 0.0)))
    return sa.case(*whens, else_=sa.null()) if whens else sa.null()


def _gain_of(user_ids, track: Track, first, known) -> tuple[GainReport, dict[int, GainReport]]:
    per_person, pairs = {}, []
    for user_id in user_ids:
        pre, post = first.get((user_id, track.pretest_slug)), first.get((user_id, track.posttest_slug))
        pre_p = _percents(pre, known) if pre else None
        post_p = _percents(post, known) if post else None
        if pre_p and post_p:
            pairs.append((pre_p[0], pre_p[1], post_p[0], post_p[1]))
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
