"""Home, language switch and health check."""
import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import current_user

from lms.core.urls import safe_next
from lms.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    """Send people where they work: their modules, or the sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("accounts.login"))


@bp.post("/language")
def set_language():
    """Remember the chosen interface language for this browser (and the account)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LMS_LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang
    return redirect(safe_next(request.form.get("next"), url_for("core.index")))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: answer instead of a 404."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/sw.js")
def service_worker():
    """The service worker that serves saved pages when the phone is offline. It is served
    from the root so that its scope covers every page (a worker's scope stops at its folder),
    and revalidated each time so a fix reaches phones at once."""
    from flask import send_from_directory
    response = send_from_directory(current_app.static_folder, "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/healthz")
def healthz():
    """200 when the database answers; 503 otherwise."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/readyz")
def readyz():
    """200 when the database answers and its schema is at the migrations' head (a server
    started before `db upgrade` finished must not get traffic); 503 otherwise."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    try:
        with db.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except sa.exc.SQLAlchemyError:
        return {"status": "error", "database": "unreachable"}, 503
    heads = set(ScriptDirectory(current_app.extensions["migrate"].directory).get_heads())
    if current != heads:
        return {"status": "error", "database": "ok", "migrations": "behind"}, 503
    return {"status": "ok", "database": "ok", "migrations": "current"}
