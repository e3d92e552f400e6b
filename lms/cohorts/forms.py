"""Forms for cohorts, enrolment and sessions."""
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.accounts.forms import DISPLAY_NAME_RULE, EMAIL_RULE, PHONE_RULE, USERNAME_RULE
from lms.core.forms import BaseForm
from lms.core.i18n import lazy_gettext as _l


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes: usable on a phone without JavaScript, unlike a multi-select."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CohortForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)],
                       render_kw={"placeholder": "Angkatan II"})
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    track_slug = SelectField(_l("Track"), validators=[DataRequired()])
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    required_modules = MultiCheckboxField(_l("Modules required for completion (none ticked: all)"))
    facilitators = MultiCheckboxField(_l("Facilitators"), coerce=int)

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date is before the start date."))


class EnrolForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired(), USERNAME_RULE])
    display_name = StringField(_l("Name shown (a nickname is fine)"),
                               validators=[DataRequired(), DISPLAY_NAME_RULE])
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), PHONE_RULE])
    email = StringField(_l("Email (optional)"), validators=[Optional(), EMAIL_RULE])


class RosterUploadForm(BaseForm):
    roster = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file."))])


class RosterConfirmForm(BaseForm):
    content = TextAreaField(validators=[DataRequired()])


class SessionForm(BaseForm):
    held_on = DateField(_l("Date"), validators=[DataRequired()])
    starts_at = TimeField(_l("Time"), validators=[Optional()])
    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    modules = MultiCheckboxField(_l("Modules covered"))
    place = StringField(_l("Place or online link"), validators=[Optional(), Length(max=300)])


class OrganisationForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class StaffForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired(), USERNAME_RULE])
    display_name = StringField(_l("Name shown"), validators=[DataRequired(), DISPLAY_NAME_RULE])
    role = SelectField(_l("Role"), choices=[("facilitator", _l("Facilitator")),
                                            ("coordinator", _l("Coordinator"))])


class NewCodesForm(BaseForm):
    """Making activation codes. `confirmed` is set by the confirmation page: without it, people
    who still hold a working code are not given a new one (that would end the old)."""

    confirmed = HiddenField()
