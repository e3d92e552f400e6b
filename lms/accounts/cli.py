"""`flask user create`."""
import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext

from lms.accounts.activation import issue_code
from lms.accounts.models import Organisation, Role, User
from lms.accounts.passwords import hash_password
from lms.accounts.person_fields import normalise_username, password_problems, username_problems, username_taken
from lms.core import audit
from lms.core.transaction import committing
from lms.extensions import db
from lms.timeutil import utcnow

user_cli = AppGroup("user", help="Manage accounts.")


@user_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.TRAINEE.value,
              show_default=True)
@click.option("--display-name", default=None, help="Name shown in the site (a pseudonym is fine).")
@click.option("--organisation", default=None, help="Name of an existing organisation.")
@click.option("--password", default=None,
              help="Prompted for on a terminal; without one, an activation code is printed instead.")
def create(username, role, display_name, organisation, password):
    """Create an account with a username and a role (no email needed)."""
    username = normalise_username(username)
    for problem in username_problems(username):
        raise click.BadParameter(problem, param_hint="USERNAME")
    if username_taken(username):
        raise click.ClickException(f"user {username!r} already exists")
    org_id = None
    if organisation:
        org_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == organisation))
        if org_id is None:
            raise click.ClickException(f"no organisation named {organisation!r}")
    if password is None:
        password = _ask_password()
    for problem in password_problems(password) if password is not None else []:
        raise click.BadParameter(problem, param_hint="--password")
    with committing():
        user = User(username=username, display_name=display_name or username, role=role,
                    organisation_id=org_id,
                    password_hash=hash_password(password) if password else None)
        db.session.add(user)
        db.session.flush()
        # From the shell: no actor; the entry still shows when and with which role.
        audit.person_action("account.created", user.id, None, org_id, role=role, via="command")
        code = None if password else issue_code(user, None, utcnow())
    click.echo(f"created {role} {username}")
    if code:
        click.echo(f"activation code: {code} (the person chooses a password at /activate)")


def _ask_password() -> str | None:
    """Ask on a terminal (twice), or read one line from piped input; None when there is
    nothing (then the account gets an activation code instead)."""
    try:
        answer = click.prompt("Password (empty: print an activation code)", hide_input=True,
                              confirmation_prompt=sys.stdin.isatty(), default="", show_default=False)
    except click.Abort:
        return None
    return answer or None


@click.command("purge")
@with_appcontext
def purge_command():
    """Delete ended or expired sign-in sessions, old throttle rows and dead activation codes.

    Safe to run at any time and as often as you like (e.g. daily from cron).
    """
    from datetime import timedelta

    from flask import current_app

    from lms.accounts.retention import purge
    cfg = current_app.config
    with committing():
        counts = purge(utcnow(), cfg["LOGIN_SESSION_DAYS"],
                       timedelta(seconds=cfg["LOGIN_THROTTLE_WINDOW_SECONDS"]))
    for kind, n in counts.items():
        click.echo(f"purged {n} {kind}")
