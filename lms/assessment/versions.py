"""Quiz version definitions, decoded once per process.

A quiz version is never edited (re-syncing adds a new one), so its decoded definition can be
kept by each app server without any invalidation: several servers each keep their own copy of
the same immutable rows. The key is the id *and* the content hash: ids are only unique within
one database, and a database emptied or restored behind a running process (the test suite, a
restored backup) can give an old id to another version. Callers read the definitions and never
change them; they are shared.
"""
from __future__ import annotations

import sqlalchemy as sa

from lms.assessment.models import QuizVersion
from lms.extensions import db

# A definition is some tens of KB decoded; past this many versions the cache starts again,
# which costs one query more once rather than memory without bound.
MAX_CACHED = 256

_definitions: dict[tuple[int, str], dict] = {}

_BY_IDS = sa.select(QuizVersion.id, QuizVersion.content_hash, QuizVersion.definition).where(
    QuizVersion.id.in_(sa.bindparam("ids", expanding=True)))


def definitions(versions) -> dict[int, dict]:
    """The definition of each (version id, content hash) given, by version id; one query for
    those this process has not decoded yet, none when it has."""
    wanted = set(versions)
    found = {key[0]: _definitions[key] for key in wanted if key in _definitions}
    missing = {key for key in wanted if key[0] not in found}
    if missing:
        if len(_definitions) + len(missing) > MAX_CACHED:
            _definitions.clear()
        for version_id, content_hash, definition in db.session.execute(
                _BY_IDS, {"ids": sorted({key[0] for key in missing})}):
            if (version_id, content_hash) in missing:
                _definitions[(version_id, content_hash)] = definition
                found[version_id] = definition
    return found


def forget_definitions() -> None:
    """Empty this process's cache (tests)."""
    _definitions.clear()
