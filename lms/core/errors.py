"""Error pages in the person's language; a failed request never leaves a half-written change."""
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError

from lms.core.i18n import gettext as _
from lms.core.urls import safe_next
from lms.extensions import db


def _page(status: int, title: str, message: str):
    return render_template("error.html", title=title, message=message), status


def already_saved_response():
    """Back to where the person was, told that the first press already saved it."""
    flash(_("This was already saved (the button was pressed twice)."), "info")
    referrer = urlsplit(request.referrer or "")
    same_site = referrer.netloc in ("", request.host)
    return redirect(safe_next(referrer.path if same_site else None, url_for("core.index")))


def init_app(app) -> None:
    @app.errorhandler(404)
    def not_found(_e):
        return _page(404, _("Page not found"), _("The page you asked for does not exist."))

    @app.errorhandler(413)
    def too_large(_e):
        return _page(413, _("Too much data"),
                     _("What was sent is larger than this site accepts (2 MB). Nothing was saved."))

    @app.errorhandler(403)
    def forbidden(_e):
        return _page(403, _("Not allowed"), _("You do not have access to this page."))

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        return _page(400, _("Form expired"),
                     _("The form was open too long or came from elsewhere. Go back, reload the page and try again."))

    @app.errorhandler(IntegrityError)
    def already_saved(_e):
        # Two taps on one button race to insert the same row: the first one saved it.
        db.session.rollback()
        if request.method != "POST":
            raise _e
        return already_saved_response()

    @app.errorhandler(500)
    def server_error(_e):
        db.session.rollback()
        return _page(500, _("Something went wrong"),
                     _("Nothing was saved. Please try again in a moment."))

