"""Reports built from attempts: learning gain per person and group, item analysis per quiz."""
from __future__ import annotations

import sqlalchemy as sa

from lms.assessment.analytics import GainReport, ItemStat, gain_report, item_analysis, module_percents
from lms.assessment.attempts import current_version, load_versions
from lms.assessment.models import Attempt, AttemptStatus, Quiz
from lms.content.render import render_markdown
from lms.extensions import db
from lms.learning.models import Module, Track


def _first_graded(user_ids, quiz_slugs: list[str]) -> dict[tuple[int, str], Attempt]:
    """Each person's first graded attempt at each quiz (policy FIRST_GRADED: pre/post-tests)."""
    # Scores and credits only: the layout and answers (JSON to decode) are not needed for gain.
    rows = db.session.scalars(
        sa.select(Attempt).options(sa.orm.defer(Attempt.layout), sa.orm.defer(Attempt.answers))
        .where(Attempt.user_id.in_(user_ids), Attempt.quiz_slug.in_(quiz_slugs),
               Attempt.status == AttemptStatus.GRADED).order_by(Attempt.number))
    first: dict[tuple[int, str], Attempt] = {}
    for attempt in rows:
        first.setdefault((attempt.user_id, attempt.quiz_slug), attempt)
    load_versions(first.values())
    return first


def _percents(attempt: Attempt) -> tuple[float, dict[str, float]]:
    questions = attempt.version.definition["questions"]
    return attempt.score_percent or 0.0, module_percents(questions, attempt.credits)


def track_gain(user_ids: list[int], track: Track) -> tuple[GainReport, dict[int, GainReport]]:
    """The group's gain and each person's, for people who took both tests of the track."""
    return track_gains(user_ids, [track])[track.slug]


def track_gains(user_ids: list[int], tracks: list[Track]) -> dict[str, tuple[GainReport, dict[int, GainReport]]]:
    """`track_gain` for several tracks, reading the attempts once."""
    tested = [t for t in tracks if t.pretest_slug and t.posttest_slug]
    first = _first_graded(user_ids, [s for t in tested for s in (t.pretest_slug, t.posttest_slug)]) \
        if tested else {}
    gains = {t.slug: (gain_report([]), {}) for t in tracks}
    gains.update({t.slug: _gain_of(user_ids, t, first) for t in tested})
    return gains


def _gain_of(user_ids, track: Track, first) -> tuple[GainReport, dict[int, GainReport]]:
    per_person, pairs = {}, []
    for user_id in user_ids:
        pre, post = first.get((user_id, track.pretest_slug)), first.get((user_id, track.posttest_slug))
        pre_p = _percents(pre) if pre else None
        post_p = _percents(post) if post else None
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
    query = sa.select(Attempt).where(Attempt.quiz_version_id == version.id,
                                     Attempt.status == AttemptStatus.GRADED)
    if people is not None:
        query = query.where(Attempt.user_id.in_(people))
    first: dict[int, Attempt] = {}
    for attempt in db.session.scalars(query.order_by(Attempt.number)):
        first.setdefault(attempt.user_id, attempt)
    questions = version.definition["questions"]
    data = [(a.score_percent or 0.0, a.credits) for a in first.values()]
    return questions, item_analysis(len(questions), data), len(data)


def _track_modules(track_slugs) -> list[Module]:
    return list(db.session.scalars(sa.select(Module).where(
        Module.track_slug.in_(track_slugs), Module.retired_at.is_(None)).order_by(Module.order)))


def track_quizzes(track: Track | None) -> list[Quiz]:
    """The quizzes a track uses, in the order a trainee meets them: the pre-test, each
    module's quiz and case analyses, the post-test (retired ones left out)."""
    if track is None:
        return []
    slugs = [track.pretest_slug]
    for module in _track_modules([track.slug]):
        slugs += [module.quiz_slug, *(module.case_slugs or [])]
    slugs.append(track.posttest_slug)
    slugs = list(dict.fromkeys(s for s in slugs if s))
    quizzes = {q.slug: q for q in db.session.scalars(sa.select(Quiz).where(
        Quiz.slug.in_(slugs), Quiz.retired_at.is_(None)))}
    return [quizzes[s] for s in slugs if s in quizzes]


def tracks_using(quiz_slug: str) -> set[str]:
    """Slugs of the tracks whose pre/post-test or modules use this quiz."""
    tracks = set(db.session.scalars(sa.select(Track.slug).where(
        sa.or_(Track.pretest_slug == quiz_slug, Track.posttest_slug == quiz_slug))))
    modules = db.session.scalars(sa.select(Module).where(Module.retired_at.is_(None)))
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
