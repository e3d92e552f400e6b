"""The base form: WTForms' own messages in the person's language.

WTForms ships no Indonesian catalogue, so its built-in messages ("This field is required.")
go through our catalogue instead; `_WTFORMS_MESSAGES` lists them for extraction.
"""
from flask_babel import get_translations
from flask_wtf import FlaskForm

from lms.core.i18n import lazy_gettext as _l


class _BabelTranslations:
    """The catalogue's raw strings: WTForms fills in `%(max)d` and the like itself, so these
    must not interpolate (Flask-Babel's `ngettext` would, and fail on the missing `max`)."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()


_WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Field cannot be longer than %(max)d characters."),
    _l("Field must be at least %(min)d characters long."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("'%(value)s' is not a valid choice for this field."),
    _l("Invalid input."),
    _l("Not a valid integer value."),
)


def max_length(field) -> int | None:
    """The `Length(max=...)` limit of a form field, so the page can say it and the browser
    can hold to it (`maxlength`) before the server has to refuse."""
    from wtforms.validators import Length
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max and v.max > 0]
    return min(limits) if limits else None
