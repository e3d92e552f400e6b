"""Role guards for views: pages of another role answer 404, like objects out of reach."""
from flask import abort
from flask_login import current_user

from lms.accounts.models import is_manager, is_staff


def require_staff() -> None:
    """Only facilitators, coordinators and admins go on."""
    if not is_staff(current_user):
        abort(404)


def require_manager() -> None:
    """Only coordinators and admins go on."""
    if not is_manager(current_user):
        abort(404)


def init_app(app) -> None:
    """The same checks for templates, so a menu never offers a page its reader can't open."""
    app.jinja_env.globals.update(is_staff=is_staff, is_manager=is_manager)
