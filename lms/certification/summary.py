"""What certification adds to the cohort page's summary: how many trainees are eligible and
how many hold a certificate, linking to the certification page."""
from collections import Counter

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user

from lms.accounts.models import is_manager
from lms.certification.models import Certificate
from lms.certification.rules import is_eligible
from lms.certification.service import rules_for
from lms.cohorts.models import Cohort
from lms.core.i18n import gettext as _
from lms.extensions import db
from lms.records.cohort_page import SummaryPart, register_summary_part
from lms.records.facts import Standing


def eligible_count(standings: Counter[Standing], rules: dict) -> int:
    """How many trainees meet every rule: each distinct standing decided once, by the same
    rules as a trainee's own page."""
    return sum(n for standing, n in standings.items() if is_eligible(standing, rules))


def certification_part(cohort: Cohort, standings: Counter[Standing]) -> SummaryPart | None:
    if not standings:
        return None
    eligible = eligible_count(standings, rules_for(cohort.id).as_dict())
    certified = db.session.scalar(sa.select(sa.func.count()).select_from(Certificate).where(
        Certificate.cohort_id == cohort.id, Certificate.revoked_at.is_(None))) or 0
    return SummaryPart(_("Certification"),
                       _("%(eligible)d eligible, %(certified)d certified", eligible=eligible, certified=certified),
                       # Only managers may open the certification page: no link to a 404.
                       url_for("certification.cohort", cohort_id=cohort.id)
                       if is_manager(current_user) else None)


register_summary_part(certification_part)
