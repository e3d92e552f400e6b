"""`flask user create`."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup

from lms.accounts.models import Role, User
from lms.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password
from lms.extensions import db

user_cli = AppGroup("user", help="Manage accounts.")


@user_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.TRAINEE.value,
              show_default=True)
@click.option("--display-name", default=None, help="Name shown in the site (a pseudonym is fine).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for when not given.")
def create(username, role, display_name, password):
    """Create an account with a username, a role and a password (no email needed)."""
    username = username.strip().lower()
    if not username or len(username) > 64:
        raise click.BadParameter("username must be 1 to 64 characters", param_hint="USERNAME")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"at least {MIN_PASSWORD_LENGTH} characters", param_hint="--password")
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise click.ClickException(f"user {username!r} already exists")
    db.session.add(User(username=username, display_name=display_name or username, role=role,
                        password_hash=hash_password(password)))
    db.session.commit()
    click.echo(f"created {role} {username}")
