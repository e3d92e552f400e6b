"""Language choice: Bahasa Indonesia first, English second."""
from flask import current_app, session
from flask_login import current_user

from lms.extensions import babel


def select_locale() -> str:
    """The person's explicit choice (session, then account), else Indonesian."""
    languages = current_app.config["LMS_LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    _template_helpers(app)
    _assessment_helpers(app)


def _template_helpers(app) -> None:
    from flask_babel import (format_date, format_datetime, format_decimal, format_number,
                             format_percent, get_locale)

    from lms.learning.vocab import flag_label, kind_label, method_label

    app.jinja_env.globals.update(
        current_locale=lambda: str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
        format_number=format_number, format_date=format_date, format_datetime=format_datetime,
        format_decimal=format_decimal, format_percent=format_percent, kind_label=kind_label,
        flag_label=flag_label)
    app.jinja_env.filters["method_label"] = method_label


def _assessment_helpers(app) -> None:
    from lms.assessment import presenting
    app.jinja_env.globals.update(your_answer=presenting.your_answer,
                                 right_answer=presenting.right_answer,
                                 chosen_feedback=presenting.chosen_feedback)
