"""What waits for a facilitator, coordinator or admin on their home page: essays to score,
RTLs and field practice to decide, the next sessions, people not activated yet, and their
cohorts' progress.

Everything is limited to what the person may see (`lms.cohorts.access`). The waiting work
costs a fixed number of queries whatever the number of cohorts; the cohort cards count, in
the database, the same standings the cohort page's summary counts (decided by the same
rules as the certification page), for at most `COHORT_LIMIT` cohorts, so the page stays
bounded too, whatever the size of the cohorts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from lms.accounts.models import Organisation, Role, User, is_manager
from lms.assessment.completion import masks_fit
from lms.assessment.models import Attempt, AttemptStatus
from lms.certification.models import Certificate
from lms.certification.service import cohort_status, rules_for
from lms.certification.summary import eligible_count
from lms.cohorts.access import visible_cohorts, visible_people
from lms.cohorts.models import Cohort, Enrollment, TrainingSession
from lms.cohorts.requirements import cohort_required_modules
from lms.extensions import db
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.records.facts import cohort_facts, count_cohort, standings_of, track_of

LIST_LIMIT = 8       # people listed per kind of waiting work; the rest are counted
SESSION_LIMIT = 5    # upcoming sessions listed
COHORT_LIMIT = 6     # cohorts with a progress card; the others are one tap away
ORG_LIMIT = 10       # organisations listed for an admin


@dataclass
class PersonWaiting:
    """One trainee's RTL or field-practice entries waiting for a decision in one cohort."""

    cohort_id: int
    cohort_name: str
    user_id: int
    name: str
    count: int
    since: datetime | None


@dataclass
class Waiting:
    """The work waiting for this person's decision."""

    essays: int = 0
    oldest_essay: datetime | None = None
    plans: list[PersonWaiting] = field(default_factory=list)
    plans_total: int = 0
    entries: list[PersonWaiting] = field(default_factory=list)
    entries_total: int = 0      # entries, not people
    not_activated: int = 0      # trainees who have not set a password yet (managers only)


@dataclass
class CohortCard:
    """A cohort's progress: trainees who completed every required module and, for managers,
    who is ready for a certificate and who has one."""

    cohort: Cohort
    track_title: str
    trainees: int
    completed: int
    ready: int | None = None       # eligible, no valid certificate yet
    certified: int | None = None   # a certificate that is not revoked


def _cohort_ids(viewer: User):
    """A select of the ids of the cohorts this person may open."""
    return visible_cohorts(viewer).with_only_columns(Cohort.id)


def essays_waiting(viewer: User) -> tuple[int, datetime | None]:
    """How many submitted attempts wait for an essay score, and when the oldest was sent
    (the people the review queue shows this person; one query)."""
    query = sa.select(sa.func.count(Attempt.id), sa.func.min(Attempt.submitted_at)).where(
        Attempt.status == AttemptStatus.AWAITING_REVIEW, Attempt.user_id != viewer.id)
    people = visible_people(viewer)
    if people is not None:
        query = query.where(Attempt.user_id.in_(people))
    count, oldest = db.session.execute(query).one()
    return count, oldest


def _people_waiting(rows) -> list[PersonWaiting]:
    return [PersonWaiting(cohort_id, cohort_name, user_id, name, count, since)
            for cohort_id, cohort_name, user_id, name, count, since in rows]


def plans_waiting(viewer: User) -> tuple[list[PersonWaiting], int]:
    """Submitted RTLs in this person's cohorts, oldest first (two queries)."""
    where = (ActionPlan.state == ReviewState.SUBMITTED, ActionPlan.cohort_id.in_(_cohort_ids(viewer)))
    total = db.session.scalar(sa.select(sa.func.count(ActionPlan.id)).where(*where))
    rows = db.session.execute(
        sa.select(Cohort.id, Cohort.name, User.id, User.display_name, sa.literal(1), ActionPlan.submitted_at)
        .join(Cohort, Cohort.id == ActionPlan.cohort_id).join(User, User.id == ActionPlan.user_id)
        .where(*where).order_by(ActionPlan.submitted_at, ActionPlan.id).limit(LIST_LIMIT))
    return _people_waiting(rows), total


def entries_waiting(viewer: User) -> tuple[list[PersonWaiting], int]:
    """Field-practice entries neither signed off nor returned, per trainee and cohort, the
    longest waiting first (two queries)."""
    where = (PracticeEntry.signed_off_at.is_(None), PracticeEntry.returned_at.is_(None),
             PracticeEntry.cohort_id.in_(_cohort_ids(viewer)))
    total = db.session.scalar(sa.select(sa.func.count(PracticeEntry.id)).where(*where))
    since = sa.func.min(PracticeEntry.created_at)
    rows = db.session.execute(
        sa.select(Cohort.id, Cohort.name, User.id, User.display_name, sa.func.count(PracticeEntry.id), since)
        .join(Cohort, Cohort.id == PracticeEntry.cohort_id).join(User, User.id == PracticeEntry.user_id)
        .where(*where).group_by(Cohort.id, Cohort.name, User.id, User.display_name)
        .order_by(since, User.id).limit(LIST_LIMIT))
    return _people_waiting(rows), total


def not_activated(viewer: User) -> int:
    """Trainees enrolled in this manager's cohorts who have no password yet (one query)."""
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(User.id))).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id.in_(_cohort_ids(viewer)), User.password_hash.is_(None),
               User.role == Role.TRAINEE))


def waiting_for(viewer: User) -> Waiting:
    """Everything waiting for this person, in a fixed number of queries."""
    essays, oldest = essays_waiting(viewer)
    plans, plans_total = plans_waiting(viewer)
    entries, entries_total = entries_waiting(viewer)
    return Waiting(essays=essays, oldest_essay=oldest, plans=plans, plans_total=plans_total,
                   entries=entries, entries_total=entries_total,
                   not_activated=not_activated(viewer) if is_manager(viewer) else 0)


def next_sessions(viewer: User, today: date) -> list[tuple[TrainingSession, Cohort]]:
    """The coming sessions (today included) of this person's cohorts, soonest first (one query)."""
    rows = db.session.execute(
        sa.select(TrainingSession, Cohort).join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .where(TrainingSession.cohort_id.in_(_cohort_ids(viewer)), TrainingSession.held_on >= today)
        .order_by(TrainingSession.held_on, TrainingSession.starts_at, TrainingSession.id)
        .limit(SESSION_LIMIT))
    return [(s, c) for s, c in rows]


def current_cohorts(viewer: User, today: date) -> tuple[list[Cohort], int]:
    """This person's cohorts for the home page: running or coming ones first, then the most
    recent; at most COHORT_LIMIT, with the number of all of them (two queries)."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(_cohort_ids(viewer).subquery()))
    ended = sa.and_(Cohort.ends_on.is_not(None), Cohort.ends_on < today)
    cohorts = db.session.scalars(visible_cohorts(viewer).order_by(
        sa.case((ended, 1), else_=0), Cohort.starts_on.desc().nulls_last(), Cohort.created_at.desc(),
        Cohort.id.desc()).limit(COHORT_LIMIT)).all()
    return list(cohorts), total


# The cohort's holders of a valid certificate, marked in its tally: one select object, so the
# tally's statement is built once per process (`count_cohort`), not for every card.
_HOLDERS = sa.select(Certificate.user_id).where(Certificate.cohort_id == sa.bindparam("tally_cohort_id"),
                                                Certificate.revoked_at.is_(None))


def cohort_cards(cohorts: list[Cohort], certification: bool) -> list[CohortCard]:
    """Each cohort's progress (with certification: who is eligible without a valid
    certificate, and who holds one), in one grouped query per cohort."""
    cards = []
    for cohort in cohorts:
        track, modules = track_of(cohort), cohort_required_modules(cohort)
        if not masks_fit(modules):
            cards.append(_card_from_facts(cohort, certification))
            continue
        count = count_cohort(cohort, modules, track, marked=_HOLDERS if certification else None)
        standings = count.standings
        ready = certified = None
        if certification:
            rules = rules_for(cohort.id).as_dict()
            with_certificate = standings_of([t for t in count.tally if t.marked])
            certified = sum(with_certificate.values())
            ready = eligible_count(standings, rules) - eligible_count(with_certificate, rules)
        completed = sum(n for s, n in standings.items() if s.modules_complete)
        cards.append(CohortCard(cohort, track.title if track else cohort.track_slug, sum(standings.values()),
                                completed, ready, certified))
    return cards


def _card_from_facts(cohort: Cohort, certification: bool) -> CohortCard:
    """A card from every trainee's facts, for a track too long for completion masks."""
    ready = certified = None
    if certification:
        facts, statuses = cohort_status(cohort)
        valid = {s.facts.user.id for s in statuses if s.certificate is not None and not s.certificate.revoked}
        certified = len(valid)
        ready = sum(1 for s in statuses if s.eligibility.eligible and s.facts.user.id not in valid)
    else:
        facts = cohort_facts(cohort)
    completed = sum(1 for t in facts.trainees if t.modules_complete)
    return CohortCard(cohort, facts.track.title if facts.track else cohort.track_slug, len(facts.trainees),
                      completed, ready, certified)


def organisations(limit: int = ORG_LIMIT) -> tuple[list[tuple[Organisation, int]], int]:
    """For an admin: organisations with their number of cohorts, by name (two queries)."""
    total = db.session.scalar(sa.select(sa.func.count(Organisation.id)))
    cohorts = sa.func.count(Cohort.id)
    rows = db.session.execute(
        sa.select(Organisation, cohorts).outerjoin(Cohort, Cohort.organisation_id == Organisation.id)
        .group_by(Organisation.id).order_by(Organisation.name).limit(limit))
    return [(org, n) for org, n in rows], total
