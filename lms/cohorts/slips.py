"""Activation slips as a page, and the confirmation asked before codes are replaced.

A new code makes the person's older codes stop working at once, so a coordinator who taps
"new code" for someone whose slip is still in their pocket (or for a whole cohort, half of
whom already hold slips) is asked first, with the names and the dates their codes run to.
"""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from lms.accounts.activation import live_codes
from lms.accounts.models import User
from lms.cohorts.enrolment import Slip, issue_codes
from lms.cohorts.forms import NewCodesForm
from lms.cohorts.models import Cohort
from lms.timeutil import utcnow

CONFIRMED = "yes"


def slips_page(slips: list[Slip], cohort: Cohort | None, back: str):
    """The printable slips. They exist only in this response (the database keeps hashes)."""
    return render_template("cohorts/slips.html", cohort=cohort, slips=slips, back=back)


def issue_or_confirm(users: list[User], cohort: Cohort | None, back: str):
    """Slips for these people, or first a confirmation page when some of them still hold a
    code that works. The confirmation posts the same form again, to the same address."""
    form = NewCodesForm()
    if not form.validate_on_submit():
        abort(400)
    now = utcnow()
    holding = live_codes([u.id for u in users], now)
    if holding and form.confirmed.data != CONFIRMED:
        holders = [(u, holding[u.id]) for u in users if u.id in holding]
        return render_template("cohorts/confirm_codes.html", holders=holders, total=len(users),
                               cohort=cohort, back=back, form=form, action=request.path,
                               confirmed=CONFIRMED)
    return slips_page(issue_codes(users, current_user.id, now), cohort, back)
