"""A person's own account: change the password, see and end sign-in sessions."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.accounts.auth import active_sessions, end_sessions, sign_out
from lms.accounts.forms import PasswordChangeForm
from lms.accounts.passwords import hash_password, verify_password
from lms.core.i18n import gettext as _

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; every other signed-in browser is signed out."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            current_user.password_hash = hash_password(form.password.data)
            ended = end_sessions(current_user.id, keep_current=True)
            flash(_("Your password is changed. Other devices signed out: %(n)d.", n=ended), "success")
            return redirect(url_for(".sessions"))
    return render_template("accounts/password.html", form=form), 400 if form.errors else 200


@bp.get("/sessions")
@login_required
def sessions():
    """Where this account is signed in, and a button to sign out everywhere."""
    from flask import session
    return render_template("accounts/sessions.html", sessions=active_sessions(current_user.id),
                           current=session.get("sid"), form=FlaskForm())


@bp.post("/sessions/end")
@login_required
def end_all():
    """Sign out on every device, this one included ("keluar dari semua perangkat")."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    end_sessions(current_user.id)
    sign_out()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("accounts.login"))
