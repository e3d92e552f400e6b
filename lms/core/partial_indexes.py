"""Partial indexes (CREATE INDEX ... WHERE ...), their condition given to the database in use.

SQLAlchemy takes an index's WHERE as an option of each dialect (`sqlite_where`,
`postgresql_where`), and checking such an option imports that dialect. Declaring both in a
model cost every SQLite worker PostgreSQL's dialect (20 ms of start-up, 2 MiB) and every
PostgreSQL worker SQLite's (0.7 MiB). A model declares the condition once, with `partial`;
`create_app` hands it to the engine's dialect (`for_dialect`), before anything builds the
schema or compares it with the migrations.
"""
import sqlalchemy as sa

_PARTIAL: list[tuple[sa.Index, sa.ColumnElement]] = []


def partial(index: sa.Index, where: sa.ColumnElement) -> sa.Index:
    """The index, to be created with `WHERE where` (a condition both databases read alike)."""
    _PARTIAL.append((index, where))
    return index


def for_dialect(name: str) -> None:
    """Give every partial index its condition in dialect `name` (idempotent)."""
    for index, where in _PARTIAL:
        options = index.dialect_options[name]
        if options["where"] is None:
            options["where"] = where
