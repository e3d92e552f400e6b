"""Sign in and sign out."""
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts import throttle
from lms.accounts.activation import redeem
from lms.accounts.auth import sign_in, sign_out
from lms.accounts.forms import ActivateForm, LoginForm, LogoutForm
from lms.accounts.models import User
from lms.accounts.passwords import verify_password
from lms.core.transaction import keep_changes
from lms.core.urls import safe_next
from lms.extensions import db
from lms.timeutil import utcnow

bp = Blueprint("accounts", __name__)


def _limits(username: str) -> dict[str, int]:
    cfg = current_app.config
    return {throttle.account_key(username): cfg["LOGIN_MAX_FAILURES_ACCOUNT"],
            throttle.address_key(request.remote_addr): cfg["LOGIN_MAX_FAILURES_ADDRESS"]}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Username and password; throttled per account and per address."""
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST" and not form.next.data:
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data, url_for("home.index")))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/login.html", form=form), status

    now, window = utcnow(), timedelta(seconds=current_app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])
    limits = _limits(form.username.data)
    wait = throttle.seconds_locked(limits, now, window)
    if wait:
        keep_changes()
        flash(_("Too many failed attempts. Try again in %(minutes)d minutes.",
                minutes=max(1, round(wait / 60))), "error")
        return render_template("accounts/login.html", form=form), 429

    user = db.session.scalar(sa.select(User).where(
        User.username == form.username.data.strip().lower()))
    password_hash = user.password_hash if user and user.is_active else None
    if not verify_password(password_hash, form.password.data):
        throttle.record_failure(list(limits), now, window)
        keep_changes()
        flash(_("Wrong username or password."), "error")
        return render_template("accounts/login.html", form=form), 401

    throttle.clear(throttle.account_key(user.username))
    sign_in(user)
    return redirect(safe_next(form.next.data, url_for("home.index")))


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """End this session everywhere it was copied to.

    The header's button POSTs with a CSRF token; a plain GET (a bookmarked or typed link)
    also signs out, since ending a session can only ever take access away.
    """
    if request.method == "POST" and not LogoutForm().validate_on_submit():
        abort(400)
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    sign_out()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/activate", methods=["GET", "POST"])
def activate():
    """Choose a password with the one-time code from the coordinator's slip."""
    form = ActivateForm(username=request.args.get("username", ""))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/activate.html", form=form), status
    now, window = utcnow(), timedelta(seconds=current_app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])
    limits = _limits("activate:" + form.username.data)
    if throttle.seconds_locked(limits, now, window):
        keep_changes()
        flash(_("Too many failed attempts. Try again in %(minutes)d minutes.",
                minutes=max(1, round(throttle.seconds_locked(limits, now, window) / 60))), "error")
        return render_template("accounts/activate.html", form=form), 429
    user = redeem(form.username.data, form.code.data, form.password.data, now)
    if user is None:
        throttle.record_failure(list(limits), now, window)
        keep_changes()
        flash(_("This code is not valid for this username, or it has expired or been used. "
                "Ask your coordinator for a new code."), "error")
        return render_template("accounts/activate.html", form=form), 400
    sign_in(user)
    flash(_("Your password is set. Welcome!"), "success")
    return redirect(url_for("home.index"))
