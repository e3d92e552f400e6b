"""Test helpers shared by several test modules."""
import contextlib
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bench.page_weight import compressed_weight
from lms.extensions import db

COUNTING = False   # the test client asks for no extra pages while statements are counted


@contextlib.contextmanager
def count_queries(app, drop_kept_pages: bool = True):
    """Count SQL statements sent while the block runs, for pages rendered and summaries worked
    out: kept pages and remembered results are dropped first (a kept page costs the sign-in
    check alone, tests/test_page_cache.py; remembered results, tests/test_results_memo.py)."""
    if drop_kept_pages:
        from lms.core.page_cache import STORE
        from lms.records.results_memo import MEMO
        STORE.clear()
        MEMO.clear()
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    global COUNTING
    sa.event.listen(engine, "before_cursor_execute", before)
    COUNTING = True
    try:
        yield statements
    finally:
        COUNTING = False
        sa.event.remove(engine, "before_cursor_execute", before)


def compressed_page_weight(client, path: str) -> int:
    """Gzipped bytes of a page plus everything it loads; the page must answer 200."""
    status, total = compressed_weight(client, path)
    assert status == 200, (path, status)
    return total


SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def in_ci() -> bool:
    """True under CI (`CI=true`, as .ci/run sets it), where a missing input must fail."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def need_shared(relative: str) -> Path:
    """The file `relative` in ../shared, the folder beside the repository; if it is missing
    the calling test skips, or fails under CI so that a check never goes quietly missing."""
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is missing: this test needs ../shared (the folder beside the repository)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


def compile_catalog(po: Path, mo: Path) -> None:
    """Compile a .po into a .mo as `make translations` does (`pybabel compile --use-fuzzy`).
    The .mo is written beside its target and moved into place, so a reader never sees half."""
    with open(po, "rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name)
    mo.parent.mkdir(parents=True, exist_ok=True)
    partial = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
    try:
        with open(partial, "wb") as target:
            write_mo(target, catalog, use_fuzzy=True)
        os.replace(partial, mo)
    finally:
        partial.unlink(missing_ok=True)


def compile_stale_catalogs(translations: Path) -> list[Path]:
    """Compile every `*/LC_MESSAGES/messages.po` whose .mo is missing or older; returns those
    compiled. `pip install -e .[test]` alone builds no .mo, and without it pages stay English."""
    compiled = []
    for po in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            compile_catalog(po, mo)
            compiled.append(mo)
    return compiled


def free_port() -> int:
    """A loopback port nobody listens on (for servers the tests start)."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_with_first_page(client, first_page: dict, slug: str = "kuis-semua-tipe") -> tuple[int, str]:
    """A signed-in HTTP client (get -> text, post -> (status, location)) starts a quiz and
    saves its first page; returns the attempt id and the page's CSRF token, ready to submit."""
    from tests.conftest import csrf_token
    token = csrf_token(client.get(f"/quiz/{slug}"))
    status, location = client.post(f"/quiz/{slug}/start", {"csrf_token": token})
    assert status == 302, status
    aid = int(location.split("/attempts/")[1].split("?")[0])
    token = csrf_token(client.get(f"/quiz/attempts/{aid}?page=1"))
    assert client.post(f"/quiz/attempts/{aid}?page=1", {**first_page, "action": "next", "csrf_token": token})[0] == 302
    return aid, token


def local_date(moment, timezone: str = "Asia/Jakarta"):
    """The date people read for a naive-UTC moment: pages show dates in the site's zone
    (BABEL_DEFAULT_TIMEZONE), a day ahead of UTC from 17:00 UTC on."""
    from datetime import UTC
    from zoneinfo import ZoneInfo
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).date()
