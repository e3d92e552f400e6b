"""Certification forms: the rules, a printed name, the reason for an exception or a revocation."""
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.core.forms import BaseForm
from lms.core.i18n import lazy_gettext as _l


class RulesForm(BaseForm):
    modules = BooleanField(_l("Every required module complete"))
    post_test_min = IntegerField(_l("Post-test score at least (%, 0 = off)"),
                                 validators=[Optional(), NumberRange(0, 100)])
    attendance_min = IntegerField(_l("Attendance at least (%, 0 = off)"), validators=[Optional(), NumberRange(0, 100)])
    roleplays_min = IntegerField(_l("Role-plays taken part in, at least (0 = off)"),
                                 validators=[Optional(), NumberRange(0, 1000)])
    rtl = BooleanField(_l("RTL approved"))
    practice_min = IntegerField(_l("Field-practice entries signed off, at least (0 = off)"),
                                validators=[Optional(), NumberRange(0, 1000)])


class PrintedNameForm(BaseForm):
    printed_name = StringField(_l("Name printed on the certificate"), validators=[Optional(), Length(max=120)])


class IssueForm(BaseForm):
    reason = TextAreaField(_l("Reason for the exception (required when a rule is not met)"),
                           validators=[Optional(), Length(max=2000)])


class RevokeForm(BaseForm):
    reason = TextAreaField(_l("Reason for revoking"), validators=[DataRequired(), Length(max=2000)])
