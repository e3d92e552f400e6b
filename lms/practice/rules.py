"""RTL and field-practice rules. They flush, never commit."""
from __future__ import annotations

import re

from lms.extensions import db
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.timeutil import utcnow

# Personal data that must not go into a field-practice description.
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\w])(?:\+62[\s.-]?|62[\s.-]?|0)8\d(?:[\s.-]?\d){6,11}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def personal_data_found(text: str) -> list[str]:
    """Kinds of personal data the text seems to contain: 'nik', 'phone', 'email'."""
    found = []
    compact = re.sub(r"[\s.-]", "", text)
    if _NIK.search(compact):
        found.append("nik")
    if _PHONE.search(text):
        found.append("phone")
    if _EMAIL.search(text):
        found.append("email")
    return found


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
