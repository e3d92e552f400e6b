"""RTL and field-practice rules. They flush, never commit."""
from __future__ import annotations

from datetime import date

from lms.cohorts.models import Cohort
from lms.core import audit
from lms.core.i18n import lazy_gettext as _l
from lms.extensions import db
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.timeutil import utcnow

RTL_FIELDS = ("activities", "target", "timeline", "support_needed")


def save_plan(plan: ActionPlan, fields: dict[str, str], submit: bool) -> None:
    """Save the trainee's RTL; submitting sends it to the facilitators."""
    if plan.state not in (ReviewState.DRAFT, ReviewState.RETURNED):
        raise ValueError("an RTL under review or approved cannot be edited")
    for name in RTL_FIELDS:
        setattr(plan, name, (fields.get(name) or "").strip()[:5000])
    plan.updated_at = utcnow()
    if submit:
        plan.state, plan.submitted_at = ReviewState.SUBMITTED, utcnow()
    db.session.flush()


def review_plan(plan: ActionPlan, approve: bool, comment: str, reviewer_id: int) -> None:
    """Approve the RTL, or return it to the trainee with a comment."""
    if plan.state != ReviewState.SUBMITTED:
        raise ValueError("only a submitted RTL can be reviewed")
    plan.state = ReviewState.APPROVED if approve else ReviewState.RETURNED
    plan.reviewer_comment, plan.reviewed_by, plan.reviewed_at = comment.strip()[:5000], reviewer_id, utcnow()
    db.session.flush()
    _log("rtl.approved" if approve else "rtl.returned", plan.user_id, reviewer_id, plan.cohort_id,
         plan=plan.id)


def _log(action: str, trainee_id: int, actor_id: int, cohort_id: int, **data) -> None:
    # The comment is not logged: it may quote what the trainee wrote, and the log outlives erasure.
    cohort = db.session.get(Cohort, cohort_id) if cohort_id is not None else None
    audit.person_action(action, trainee_id, actor_id, cohort.organisation_id if cohort else None,
                        cohort=cohort_id, **data)


class PracticeRefused(Exception):
    """The change is not allowed in the entry's state; `reason` is a translatable message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def is_future(done_on: date, today: date) -> bool:
    """Field practice is logged after it happened: a date after today is a typo."""
    return done_on > today


def sign_off(entry: PracticeEntry, mentor_id: int, today: date) -> None:
    """A mentor confirms a field-practice activity took place (never one dated in the future)."""
    if entry.signed_off_at is not None:
        raise PracticeRefused(_l("This activity is already signed off."))
    if is_future(entry.done_on, today):
        raise PracticeRefused(_l("This activity is dated in the future and cannot be signed off."))
    entry.signed_off_by, entry.signed_off_at = mentor_id, utcnow()
    entry.returned_at = None
    db.session.flush()
    _log("practice.signed", entry.user_id, mentor_id, entry.cohort_id, entry=entry.id)


def return_entry(entry: PracticeEntry, mentor_id: int, comment: str) -> None:
    """A mentor sends an entry back to the trainee with what to change."""
    if entry.signed_off_at is not None:
        raise PracticeRefused(_l("This activity is already signed off."))
    if not comment.strip():
        raise PracticeRefused(_l("Write what the trainee should change."))
    entry.mentor_comment, entry.returned_at = comment.strip(), utcnow()
    db.session.flush()
    _log("practice.returned", entry.user_id, mentor_id, entry.cohort_id, entry=entry.id)


def update_entry(entry: PracticeEntry, done_on: date, kind: str, description: str) -> None:
    """The trainee corrects an entry not yet signed off; it goes back for sign-off."""
    if entry.signed_off_at is not None:
        raise PracticeRefused(_l("A signed-off activity can no longer be changed."))
    entry.done_on, entry.kind, entry.description = done_on, kind, description.strip()
    entry.returned_at = None
    db.session.flush()


def withdraw_entry(entry: PracticeEntry) -> None:
    """The trainee removes an entry not yet signed off."""
    if entry.signed_off_at is not None:
        raise PracticeRefused(_l("A signed-off activity can no longer be changed."))
    db.session.delete(entry)
    db.session.flush()
