"""RTL and field-practice forms."""
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.core.forms import BaseForm
from lms.core.i18n import lazy_gettext as _l

KIND_CHOICES = [
    ("hotline", _l("Hotline shift")),
    ("accompaniment", _l("Accompaniment")),
    ("outreach", _l("Outreach")),
    ("referral", _l("Referral")),
    ("community_session", _l("Community session")),
]


class ActionPlanForm(BaseForm):
    activities = TextAreaField(_l("Activities"), validators=[Optional(), Length(max=5000)])
    target = TextAreaField(_l("Target"), validators=[Optional(), Length(max=5000)])
    timeline = TextAreaField(_l("Timeline"), validators=[Optional(), Length(max=5000)])
    support_needed = TextAreaField(_l("Support needed"), validators=[Optional(), Length(max=5000)])


class PlanReviewForm(BaseForm):
    comment = TextAreaField(_l("Comment for the trainee"), validators=[Optional(), Length(max=5000)])


class PracticeForm(BaseForm):
    done_on = DateField(_l("Date"), validators=[DataRequired()])
    kind = SelectField(_l("Kind of activity"), choices=KIND_CHOICES)
    description = TextAreaField(_l("What you did (no names of victims)"),
                                validators=[DataRequired(), Length(max=2000)])
    no_personal_data = BooleanField(_l("I checked: this description names nobody and has no NIK, phone number or email."))

    def validate_done_on(self, field):
        from flask import current_app

        from lms.practice.rules import is_future
        from lms.timeutil import local_today
        if field.data and is_future(field.data, local_today(current_app.config["BABEL_DEFAULT_TIMEZONE"])):
            raise ValidationError(_l("This date is in the future: log an activity after it took place."))


class EntryReturnForm(BaseForm):
    comment = TextAreaField(_l("What should the trainee change?"),
                            validators=[DataRequired(), Length(max=2000)])
