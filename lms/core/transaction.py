"""One commit per request, in one place (as Indico's request handler does).

Views, rules and operations only `flush()`. When the response is a success (below 400)
the request's changes are committed here; on any exception or error status they are
rolled back, so a failing request never leaves half a change behind. A view whose error
response must still keep a write (a failed sign-in is counted) says so with
`keep_changes()`. Commands use `committing()` for the same rule.
"""
from __future__ import annotations

from contextlib import contextmanager

from flask import g
from sqlalchemy.exc import IntegrityError

from lms.extensions import db

_KEEP = "_lms_keep_changes"


def keep_changes() -> None:
    """Commit this request's changes even though its response is an error (401, 429...)."""
    setattr(g, _KEEP, True)


def _finish(response):
    if response.status_code >= 400 and not g.pop(_KEEP, False):
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except IntegrityError:
        # Two taps on one button raced to insert the same row: the first one saved it.
        db.session.rollback()
        from lms.core.errors import already_saved_response
        return already_saved_response()
    except Exception:
        db.session.rollback()
        raise
    return response


def _rollback_on_exception(exc) -> None:
    if exc is not None:
        db.session.rollback()


def init_app(app) -> None:
    app.after_request(_finish)
    app.teardown_request(_rollback_on_exception)


@contextmanager
def committing():
    """For commands: commit what the block did, or roll it all back if it raises."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


@contextmanager
def apart():
    """A short transaction of its own on another connection, committed when the block ends,
    whatever becomes of the request's. For a count that must hold even when the request
    fails (a guess at a password) and must not keep a row locked while the request goes on.

    Use it before the request has written anything: on SQLite the request's own write lock
    would make this connection wait.
    """
    with db.engine.begin() as connection:
        yield connection
