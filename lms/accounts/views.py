"""Sign in and sign out."""
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from lms.accounts import devices, throttle
from lms.accounts.activation import redeem
from lms.accounts.auth import sign_in, sign_out
from lms.accounts.forms import ActivateForm, LoginForm, LogoutForm
from lms.accounts.models import User
from lms.accounts.passwords import check_and_upgrade
from lms.accounts.person_fields import normalise_username
from lms.core.i18n import gettext as _
from lms.core.urls import safe_next
from lms.extensions import db
from lms.timeutil import utcnow

bp = Blueprint("accounts", __name__)


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])


def _unknown_device_limits(account: str) -> dict[str, int]:
    cfg = current_app.config
    return {throttle.account_key(account): cfg["LOGIN_MAX_FAILURES_ACCOUNT"],
            throttle.address_key(request.remote_addr): cfg["LOGIN_MAX_FAILURES_ADDRESS"]}


def _too_many(template: str, form, wait: int):
    """429 in the person's language; the same for every username, known or not."""
    flash(_("Too many failed attempts. Try again in %(minutes)d minutes.",
            minutes=max(1, round(wait / 60))), "error")
    response = make_response(render_template(template, form=form), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def _count_sign_in(username: str, now) -> tuple[int, list[str]]:
    """Count this attempt before the password is checked; (seconds to wait, keys counted).

    A browser that signed in to this account before (its device cookie) is counted on its
    own, so strangers who lock the account for unknown devices do not lock its owner out.
    A device that fails too often is locked too, and then counts as unknown.
    """
    cfg = current_app.config
    nonce = devices.known_device(username)
    if nonce:
        key = throttle.device_key(nonce)
        if not throttle.hit({key: cfg["LOGIN_MAX_FAILURES_DEVICE"]}, now, _window()):
            return 0, [key]
    limits = _unknown_device_limits(username)
    return throttle.hit(limits, now, _window()), list(limits)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Username and password; throttled per account (unknown devices), per device cookie and
    per address. Unknown and known usernames get the same answers."""
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST" and not form.next.data:
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data, url_for("home.index")))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/login.html", form=form), status

    username = normalise_username(form.username.data)
    wait, counted = _count_sign_in(username, utcnow())
    if wait:
        return _too_many("accounts/login.html", form, wait)

    user = db.session.scalar(sa.select(User).where(User.username == username))
    if not check_and_upgrade(user if user and user.is_active else None, form.password.data):
        flash(_("Wrong username or password."), "error")
        return render_template("accounts/login.html", form=form), 401

    address = throttle.address_key(request.remote_addr)
    throttle.forgive(clear=[k for k in counted if k != address], give_back=[k for k in counted if k == address])
    sign_in(user)
    response = redirect(safe_next(form.next.data, url_for("home.index")))
    devices.remember(response, user.username)
    return response


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
    response = redirect(url_for("accounts.login"))
    # Phones are shared: modules saved for offline reading and quiz answers kept on the
    # device (Cache API, service worker, localStorage) leave with the person.
    response.headers["Clear-Site-Data"] = '"storage"'
    return response


@bp.route("/activate", methods=["GET", "POST"])
def activate():
    """Choose a password with the one-time code from the coordinator's slip."""
    form = ActivateForm(username=request.args.get("username", ""))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/activate.html", form=form), status
    now = utcnow()
    limits = _unknown_device_limits("activate:" + normalise_username(form.username.data))
    wait = throttle.hit(limits, now, _window())
    if wait:
        return _too_many("accounts/activate.html", form, wait)
    user = redeem(form.username.data, form.code.data, form.password.data, now)
    if user is None:
        flash(_("This code is not valid for this username, or it has expired or been used. "
                "Ask your coordinator for a new code."), "error")
        return render_template("accounts/activate.html", form=form), 400
    address = throttle.address_key(request.remote_addr)
    throttle.forgive(clear=[k for k in limits if k != address], give_back=[address])
    sign_in(user)
    flash(_("Your password is set. Welcome!"), "success")
    response = redirect(url_for("home.index"))
    devices.remember(response, user.username)
    return response
