"""Language choice: Bahasa Indonesia first, English second."""
from functools import lru_cache

from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel.speaklater import LazyString
from flask_login import current_user

from lms.core.locale_tables import slim_locale
from lms.extensions import babel


def select_locale() -> str:
    """The person's explicit choice (session, then account), else Indonesian."""
    if not has_request_context():  # commands and background work speak the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LMS_LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _language_from_query() -> None:
    """`?lang=en` on any page switches the language too (a link needs no form)."""
    lang = request.args.get("lang")
    if lang in current_app.config["LMS_LANGUAGES"]:
        session["lang"] = lang


def _catalogue() -> tuple:
    """This request's translations and language, looked up once. Flask-Babel looks both up
    again for every string (nine context-local lookups, about 20 µs), and a page translates
    dozens; it keeps the locale for the rest of the request after its first use too."""
    found = g.get("_lms_catalogue")
    if found is None:
        from flask_babel import get_locale, get_translations
        locale = get_locale()
        found = g._lms_catalogue = (get_translations(),
                                    str(locale) if locale else current_app.config["BABEL_DEFAULT_LOCALE"])
    return found


def gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext`, through this request's catalogue (`_catalogue`): the views
    and rules translate dozens of strings a page too."""
    if not has_app_context():
        from flask_babel import gettext as babel_gettext
        return babel_gettext(string, **variables)
    text = _catalogue()[0].ugettext(string)
    return text % variables if variables else text


@lru_cache(maxsize=4096)
def _number(_kind: type, number, pattern: str | None, locale: str) -> str:
    from babel import numbers
    return numbers.format_decimal(number, format=pattern, locale=slim_locale(locale))


def format_decimal(number, format: str | None = None) -> str:
    """Flask-Babel's `format_decimal`, remembered per process by value, pattern and language:
    Babel takes ~20 µs a number, and a cohort page formats some 60 of a few distinct values."""
    if not has_app_context():
        from flask_babel import format_decimal as babel_format_decimal
        return babel_format_decimal(number, format)
    return _number(type(number), number, format, _catalogue()[1])


def format_number(number) -> str:
    """Flask-Babel's `format_number` (a decimal in the language's default pattern)."""
    return format_decimal(number)


def lazy_gettext(string: str, **variables):
    """Flask-Babel's `lazy_gettext`, translated through `gettext` when used."""
    return LazyString(gettext, string, **variables)


def init_app(app) -> None:
    # A slim locale: Babel's formatters read only the tables they need (lms.core.locale_tables).
    babel.init_app(app, locale_selector=lambda: slim_locale(select_locale()))
    app.before_request(_language_from_query)
    # Templates translate through the request's catalogue (Flask-Babel installs the same four,
    # each looking the catalogue up again).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _catalogue()[0].ugettext(s),
        ngettext=lambda s, p, n: _catalogue()[0].ungettext(s, p, n),
        pgettext=lambda c, s: _catalogue()[0].upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalogue()[0].unpgettext(c, s, p, n),
        newstyle=True)
    _template_helpers(app)


def _template_helpers(app) -> None:
    from flask_babel import format_date, format_datetime, format_percent

    from lms.core import labels as vocab

    app.jinja_env.globals.update(
        current_locale=lambda: _catalogue()[1],
        format_number=format_number, format_date=format_date, format_datetime=format_datetime,
        format_decimal=format_decimal, format_percent=format_percent, kind_label=vocab.kind_label,
        flag_label=vocab.flag_label, state_label=vocab.state_label, state_symbol=vocab.state_symbol,
        plan_label=vocab.plan_label, attendance_label=vocab.attendance_label,
        pii_label=vocab.pii_label, role_label=vocab.role_label,
        state_row=vocab.state_row)
    app.jinja_env.filters["method_label"] = vocab.method_label
    from lms.core.forms import max_length
    app.jinja_env.globals["max_length"] = max_length
