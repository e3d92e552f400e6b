"""RTL and field-practice rules. They flush, never commit."""
from __future__ import annotations

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


def sign_off(entry: PracticeEntry, mentor_id: int) -> None:
    """A mentor confirms a field-practice activity took place."""
    entry.signed_off_by, entry.signed_off_at = mentor_id, utcnow()
    db.session.flush()
