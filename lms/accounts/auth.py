"""Server-side sign-in sessions on top of Flask-Login."""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, session
from flask_login import login_user, logout_user

from lms.accounts.models import LoginSession, User
from lms.core.i18n import lazy_gettext as _l
from lms.core.page_stamps import SITE_STAMP, STAMPS
from lms.extensions import db, login_manager
from lms.timeutil import utcnow

# Built once: this runs on every signed-in request, and building the statement cost about
# as much as running it.
_LIVE_USER = (sa.select(User, SITE_STAMP).join(LoginSession, LoginSession.user_id == User.id)
              .where(LoginSession.token == sa.bindparam("token"), LoginSession.revoked_at.is_(None),
                     LoginSession.created_at > sa.bindparam("oldest"), User.id == sa.bindparam("user_id")))


def _load_user(user_id: str) -> User | None:
    """Accept the cookie only while its server-side session is live and not too old
    (one query, which reads the stamps of the person's pages too: lms.core.page_cache).
    Phones are shared: a forgotten session must not last for ever."""
    token = session.get("sid")
    if not token or not user_id.isdigit():
        return None
    oldest = utcnow() - timedelta(days=current_app.config["LOGIN_SESSION_DAYS"])
    row = db.session.execute(_LIVE_USER, {"token": token, "oldest": oldest, "user_id": int(user_id)}).first()
    if row is None:
        return None
    user, site_stamp = row
    # No site row yet (no site-wide change since the tables were made or emptied) reads as 0.
    g.setdefault(STAMPS, (user.id, user.page_stamp, site_stamp or 0))
    return user


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.session_protection = "basic"


def sign_in(user: User) -> None:
    """Start a fresh session for user (a new token, so a pre-login cookie is worthless)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    record = LoginSession(user=user)
    db.session.add(record)
    db.session.flush()
    session["sid"] = record.token
    login_user(user)


def sign_out() -> None:
    """Revoke this browser's session on the server and clear the cookie."""
    token = session.get("sid")
    if token:
        db.session.execute(
            sa.update(LoginSession).where(LoginSession.token == token).values(revoked_at=utcnow()))
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def end_sessions(user_id: int, keep_current: bool = False) -> int:
    """Revoke a person's sign-in sessions (all, or all but this browser's); how many ended.

    A phone taken in a raid keeps access until this runs: a password change, a new
    activation code redeemed, "sign out everywhere" and a coordinator's action all call it.
    """
    query = sa.update(LoginSession).where(LoginSession.user_id == user_id,
                                          LoginSession.revoked_at.is_(None))
    current = session.get("sid") if keep_current else None
    if current:
        query = query.where(LoginSession.token != current)
    return db.session.execute(query.values(revoked_at=utcnow())).rowcount


def active_sessions(user_id: int) -> list[LoginSession]:
    """A person's live sign-ins, newest first."""
    oldest = utcnow() - timedelta(days=current_app.config["LOGIN_SESSION_DAYS"])
    return list(db.session.scalars(sa.select(LoginSession).where(
        LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None),
        LoginSession.created_at > oldest).order_by(LoginSession.created_at.desc())))
