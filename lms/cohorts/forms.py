"""Forms for cohorts, enrolment and sessions."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from lms.core.forms import BaseForm


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes: usable on a phone without JavaScript, unlike a multi-select."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


USERNAME = Regexp(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{2,63}$",
                  message=_l("Use 3 to 64 letters, digits, dots, hyphens or underscores, no spaces."))


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
    username = StringField(_l("Username"), validators=[DataRequired(), USERNAME])
    display_name = StringField(_l("Name shown (a nickname is fine)"),
                               validators=[DataRequired(), Length(max=120)])
    phone = StringField(_l("Phone (optional)"), validators=[
        Optional(), Regexp(r"^\+?[0-9 ().-]{8,20}$", message=_l("This does not look like a phone number."))])
    email = StringField(_l("Email (optional)"), validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                           message=_l("This does not look like an email address.")), Length(max=254)])


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
    username = StringField(_l("Username"), validators=[DataRequired(), USERNAME])
    display_name = StringField(_l("Name shown"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=[("facilitator", _l("Facilitator")),
                                            ("coordinator", _l("Coordinator"))])
