"""Error pages in the person's language; a failed request never leaves a half-written change."""
from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from lms.extensions import db


def _page(status: int, title: str, message: str):
    return render_template("error.html", title=title, message=message), status


def init_app(app) -> None:
    @app.errorhandler(404)
    def not_found(_e):
        return _page(404, _("Page not found"), _("The page you asked for does not exist."))

    @app.errorhandler(403)
    def forbidden(_e):
        return _page(403, _("Not allowed"), _("You do not have access to this page."))

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        return _page(400, _("Form expired"),
                     _("The form was open too long or came from elsewhere. Go back, reload the page and try again."))

    @app.errorhandler(500)
    def server_error(_e):
        db.session.rollback()
        return _page(500, _("Something went wrong"),
                     _("Nothing was saved. Please try again in a moment."))

    @app.teardown_request
    def _rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()
