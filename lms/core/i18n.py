"""Language choice: Bahasa Indonesia first, English second."""
from flask import current_app, has_request_context, request, session
from flask_login import current_user

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


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(_language_from_query)
    _template_helpers(app)


def _template_helpers(app) -> None:
    from flask_babel import (
        format_date,
        format_datetime,
        format_decimal,
        format_number,
        format_percent,
        get_locale,
    )

    from lms.core import labels as vocab

    app.jinja_env.globals.update(
        current_locale=lambda: str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
        format_number=format_number, format_date=format_date, format_datetime=format_datetime,
        format_decimal=format_decimal, format_percent=format_percent, kind_label=vocab.kind_label,
        flag_label=vocab.flag_label, state_label=vocab.state_label, state_symbol=vocab.state_symbol,
        plan_label=vocab.plan_label, attendance_label=vocab.attendance_label,
        pii_label=vocab.pii_label, role_label=vocab.role_label,
        state_cells=vocab.state_cells)
    app.jinja_env.filters["method_label"] = vocab.method_label
    from lms.core.forms import max_length
    app.jinja_env.globals["max_length"] = max_length
