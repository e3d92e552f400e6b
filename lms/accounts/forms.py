"""Sign-in and activation forms, and the validator that applies a person-field rule."""
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from lms.accounts import person_fields
from lms.core.forms import BaseForm
from lms.core.i18n import lazy_gettext as _l


class PersonRule:
    """A WTForms validator from a rule of `person_fields`, so forms, the CSV roster and the
    commands refuse the same values with the same words."""

    def __init__(self, problems, normalise=None):
        self.problems, self.normalise = problems, normalise

    def __call__(self, form, field):
        value = field.data or ""
        if self.normalise:
            value = self.normalise(value)
        found = self.problems(value)
        if found:
            raise ValidationError(found[0])


USERNAME_RULE = PersonRule(person_fields.username_problems, person_fields.normalise_username)
DISPLAY_NAME_RULE = PersonRule(person_fields.display_name_problems,
                               person_fields.normalise_display_name)
PHONE_RULE = PersonRule(person_fields.phone_problems, person_fields.clean_phone)
EMAIL_RULE = PersonRule(person_fields.email_problems, lambda v: v.strip().lower())
PASSWORD_RULE = PersonRule(person_fields.password_problems)


class LoginForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class ActivateForm(BaseForm):
    """First sign-in with a code from the coordinator; the trainee chooses the password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    code = StringField(_l("Activation code"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters"})
    password = PasswordField(_l("New password"), validators=[DataRequired(), PASSWORD_RULE],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})


class LogoutForm(BaseForm):
    """Only the CSRF token."""


class PasswordChangeForm(BaseForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField(_l("New password"), validators=[DataRequired(), PASSWORD_RULE],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})
