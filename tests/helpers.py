"""Test helpers shared by several test modules."""
import contextlib

import sqlalchemy as sa

from bench.page_weight import compressed_weight
from lms.extensions import db


@contextlib.contextmanager
def count_queries(app):
    """Count SQL statements sent while the block runs."""
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def compressed_page_weight(client, path: str) -> int:
    """Gzipped bytes of a page plus everything it loads; the page must answer 200."""
    status, total = compressed_weight(client, path)
    assert status == 200, (path, status)
    return total
