"""Who may see whom: the per-object rules every view follows.

A trainee sees themself; a facilitator the trainees of the cohorts they facilitate; a
coordinator the people of their organisation; an admin everyone.
"""
from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa

from lms.accounts.models import Organisation, Role, User, is_manager
from lms.cohorts.models import Cohort, CohortFacilitator, Enrollment
from lms.extensions import db


def facilitated_trainees(facilitator_id: int):
    """A select of the user ids enrolled in cohorts this facilitator is assigned to."""
    return (sa.select(Enrollment.user_id)
            .join(CohortFacilitator, CohortFacilitator.cohort_id == Enrollment.cohort_id)
            .where(CohortFacilitator.user_id == facilitator_id))


def cohort_members(cohort_id: int):
    """A select of the user ids enrolled in one cohort."""
    return sa.select(Enrollment.user_id).where(Enrollment.cohort_id == cohort_id)


def visible_cohorts(viewer: User):
    """A select of the cohorts this person may open."""
    query = sa.select(Cohort)
    if viewer.role == Role.ADMIN:
        return query
    if viewer.role == Role.COORDINATOR:
        return query.where(Cohort.organisation_id == viewer.organisation_id)
    if viewer.role == Role.FACILITATOR:
        return query.join(CohortFacilitator, CohortFacilitator.cohort_id == Cohort.id).where(
            CohortFacilitator.user_id == viewer.id)
    return query.join(Enrollment, Enrollment.cohort_id == Cohort.id).where(
        Enrollment.user_id == viewer.id)


class CohortOutline(NamedTuple):
    """What a trainee's home shows and decides of one of their cohorts."""

    id: int
    name: str
    track_slug: str
    required_module_slugs: list | None


# Built once: a trainee's home asks on every visit, and the statement cost more to build than
# to run (the entity would also bring its organisation, which the home does not show).
_TRAINEE_COHORTS = (sa.select(Cohort.id, Cohort.name, Cohort.track_slug, Cohort.required_module_slugs)
                    .join(Enrollment, Enrollment.cohort_id == Cohort.id)
                    .where(Enrollment.user_id == sa.bindparam("user_id")).order_by(Cohort.id))


def trainee_cohorts(user_id: int) -> list[CohortOutline]:
    """The cohorts a trainee is enrolled in (those `visible_cohorts` gives a trainee), oldest first."""
    return [CohortOutline(*row) for row in db.session.execute(_TRAINEE_COHORTS, {"user_id": user_id})]


def can_see_person(viewer: User, person_id: int) -> bool:
    """Whether viewer may see this person's work (answers, attempts, progress)."""
    if viewer.id == person_id or viewer.role == Role.ADMIN:
        return True
    if viewer.role == Role.COORDINATOR:
        org = db.session.scalar(sa.select(User.organisation_id).where(User.id == person_id))
        return org is not None and org == viewer.organisation_id
    if viewer.role == Role.FACILITATOR:
        return db.session.scalar(
            facilitated_trainees(viewer.id).where(Enrollment.user_id == person_id).limit(1)) is not None
    return False


def visible_people(viewer: User):
    """A select of user ids whose work this person may see (None: everyone)."""
    if viewer.role == Role.ADMIN:
        return None
    if viewer.role == Role.COORDINATOR:
        return sa.select(User.id).where(User.organisation_id == viewer.organisation_id)
    if viewer.role == Role.FACILITATOR:
        return facilitated_trainees(viewer.id)
    return sa.select(User.id).where(User.id == viewer.id)


def cohort_or_404(viewer: User, cohort_id: int, manage: bool = False) -> Cohort:
    """The cohort if this person may open it (manage: change it), else a 404."""
    from flask import abort
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not may_open_cohort(viewer, cohort, manage):
        abort(404)
    return cohort


def may_open_cohort(viewer: User, cohort: Cohort, manage: bool = False) -> bool:
    """Admins and the organisation's coordinators manage; assigned facilitators open."""
    if viewer.role == Role.ADMIN:
        return True
    if viewer.role == Role.COORDINATOR:
        return cohort.organisation_id == viewer.organisation_id
    if viewer.role == Role.FACILITATOR and not manage:
        return db.session.get(CohortFacilitator, (cohort.id, viewer.id)) is not None
    return False


def is_enrolled(cohort_id: int, user_id: int) -> bool:
    return db.session.scalar(sa.select(Enrollment.id).where(
        Enrollment.cohort_id == cohort_id, Enrollment.user_id == user_id)) is not None


def organisation_or_404(viewer: User, org_id: int) -> Organisation:
    """Admins open any organisation; coordinators only their own."""
    from flask import abort
    org = db.session.get(Organisation, org_id)
    if org is None or not is_manager(viewer):
        abort(404)
    if viewer.role == Role.COORDINATOR and viewer.organisation_id != org.id:
        abort(404)
    return org


def person_or_404(viewer: User, org: Organisation, user_id: int) -> User:
    """A person of the organisation whom the viewer manages (never themself; coordinators
    manage trainees and facilitators, not other coordinators or admins)."""
    from flask import abort
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != org.id or not may_manage_person(viewer, user):
        abort(404)
    return user


def may_manage_person(viewer: User, user: User) -> bool:
    """Whether the viewer (a manager of the person's organisation) may act on this person:
    never on themself; coordinators on trainees and facilitators, not on other managers."""
    if user.id == viewer.id:
        return False
    return not (viewer.role == Role.COORDINATOR and is_manager(user))


def managed_person_or_404(viewer: User, org_id: int, user_id: int) -> tuple[Organisation, User]:
    """The organisation and one of its people whom the viewer manages, or a 404."""
    org = organisation_or_404(viewer, org_id)
    return org, person_or_404(viewer, org, user_id)


def cohort_object_or_404(viewer: User, cohort_id: int, model, object_id: int, manage: bool = False):
    """The cohort and one of its rows (anything with a `cohort_id`), or a 404 when either is
    out of the viewer's reach or the row belongs to another cohort."""
    from flask import abort
    cohort = cohort_or_404(viewer, cohort_id, manage)
    row = db.session.get(model, object_id)
    if row is None or row.cohort_id != cohort.id:
        abort(404)
    return cohort, row


def enrolled_trainee_or_404(cohort: Cohort, user_id: int) -> User:
    """A person enrolled in this cohort, or a 404."""
    from flask import abort
    user = db.session.get(User, user_id)
    if user is None or not is_enrolled(cohort.id, user.id):
        abort(404)
    return user
