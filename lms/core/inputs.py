"""What reaches a view is sane: ids fit the database, bodies are bounded, text has no NUL.

Each of these once turned a typo or a probe into a 500: an id beyond 64 bits overflowed the
database's integer, and PostgreSQL refuses a NUL byte in any text column.
"""
from flask import request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

BIGINT_MAX = 2**63 - 1


class DatabaseId(IntegerConverter):
    """`<int:...>` that only matches what a database id can be; anything larger is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", BIGINT_MAX)
        super().__init__(map, *args, **kwargs)


def _without_nul(values: ImmutableMultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict([(key, value.replace("\x00", "")) for key, value in
                               values.items(multi=True)])


def _strip_nul_bytes() -> None:
    """A NUL byte is never meant: drop it from form and query values, keep the rest."""
    if request.method in ("POST", "PUT", "PATCH") and any(
            "\x00" in value for value in request.form.values()):
        request.form = _without_nul(request.form)
    if any("\x00" in value for value in request.args.values()):
        request.args = _without_nul(request.args)


def init_app(app) -> None:
    """Before any blueprint is registered, so every `<int:...>` route uses `DatabaseId`."""
    app.url_map.converters["int"] = DatabaseId
    app.before_request(_strip_nul_bytes)
