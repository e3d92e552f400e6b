"""Test helpers shared by several test modules."""
import contextlib
import gzip
import re

import sqlalchemy as sa

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
    """Gzipped bytes of a page plus every stylesheet, script and image it loads."""
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, (path, response.status_code)
    body = response.get_data()
    total = len(body) if response.headers.get("Content-Encoding") == "gzip" else len(gzip.compress(body))
    html = gzip.decompress(body).decode() if response.headers.get("Content-Encoding") == "gzip" else body.decode()
    for asset in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)):
        asset_response = client.get(asset, headers={"Accept-Encoding": "gzip"})
        data = asset_response.get_data()
        total += len(data) if asset_response.headers.get("Content-Encoding") == "gzip" else len(gzip.compress(data))
    return total
