"""What reaches a view is sane: ids fit the database, bodies are bounded, text has no NUL and
no bidirectional override.

Each of these once turned a typo or a probe into a 500: an id beyond 64 bits overflowed the
database's integer, and PostgreSQL refuses a NUL byte in any text column. Bidirectional
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make a name or a note read
differently from what it says wherever it is shown (ASVS 5.0 V1.2); nobody types them on
purpose, and right-to-left script needs none of them.
"""
import re

from flask import request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

BIGINT_MAX = 2**63 - 1


class DatabaseId(IntegerConverter):
    """`<int:...>` that only matches what a database id can be; anything larger is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", BIGINT_MAX)
        super().__init__(map, *args, **kwargs)


_BIDI = "\u202a-\u202e\u2066-\u2069"
BIDI_CONTROLS = re.compile(f"[{_BIDI}]")
NEVER_MEANT = re.compile(f"[\x00{_BIDI}]")


def _cleaned(values: ImmutableMultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict([(key, NEVER_MEANT.sub("", value)) for key, value in
                               values.items(multi=True)])


def _strip_never_meant() -> None:
    """Drop what is never meant (NUL, bidirectional controls) from form and query values."""
    if request.method in ("POST", "PUT", "PATCH") and any(
            NEVER_MEANT.search(value) for value in request.form.values()):
        request.form = _cleaned(request.form)
    if any(NEVER_MEANT.search(value) for value in request.args.values()):
        request.args = _cleaned(request.args)


def init_app(app) -> None:
    """Before any blueprint is registered, so every `<int:...>` route uses `DatabaseId`."""
    app.url_map.converters["int"] = DatabaseId
    app.before_request(_strip_never_meant)
