"""Every table a demo role can reach is built for a phone, checked without a browser: it is a
`table.stack` (rows become cards under 600 px, each cell naming its column in `data-label`) or
it sits in a `.scroll` box (it scrolls there and keeps its key column in view), or it is the
authors' own Markdown (`.content`, which the stylesheet makes scroll the same way). A new table
without either fails here in seconds; tests/browser/test_every_page.py measures the pages."""
import io
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import AuthActions, csrf_token
from tests.crawl import BAD_ROSTER, create_rich_demo, fold, followable

DEMO_PASSWORD = "paralegal-demo"
ROLES = ("trainee1", "facilitator1", "coordinator1", "admin")
ORIGIN = "http://localhost"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WRAPPERS = {"scroll", "content"}


class Page(HTMLParser):
    """The links of a page and what is wrong with its tables."""

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, set[str]]] = []    # the elements we are inside
        self.links: list[str] = []
        self.tables = 0
        self.problems: list[str] = []
        self._cell = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        if tag == "table":
            self._table(classes)
        elif tag == "tr":
            self._cell = 0
        elif tag == "td" and "stack" in self._table_classes():
            self._cell += 1
            if self._cell > 1 and "colspan" not in attrs and not attrs.get("data-label"):
                self.problems.append(f"a cell of table.stack has no data-label (column {self._cell})")
        if tag not in VOID:
            self.open.append((tag, classes))

    def _table_classes(self) -> set[str]:
        return next((classes for tag, classes in reversed(self.open) if tag == "table"), set())

    def _table(self, classes: set[str]) -> None:
        self.tables += 1
        if "stack" not in classes and not any(WRAPPERS & around for _tag, around in self.open):
            self.problems.append(f"table.{'.'.join(sorted(classes)) or '(no class)'} is neither "
                                 "table.stack nor inside .scroll")

    def handle_endtag(self, tag):
        # Forgiving like a browser: close up to the matching element, if it is open.
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                break


def _inspect(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture
def rich_demo(app, synced):
    with app.app_context():
        create_rich_demo(DEMO_PASSWORD)


def _walk(client, start: str = "/") -> tuple[dict[str, str], list[str], int]:
    """Follow every same-origin link from `start`; returns the pages (folded path -> path),
    the problems found, and how many tables were seen."""
    seen, problems, tables = {}, [], 0
    queue = deque([start])
    while queue and len(seen) < 200:
        path = urlsplit(queue.popleft()).path
        key = fold(path)
        if key in seen or not followable(ORIGIN + path, ORIGIN):
            continue
        seen[key] = path
        response = client.get(path, follow_redirects=True)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = _inspect(response.get_data(as_text=True))
        problems += [f"{path}: {p}" for p in page.problems]
        tables += page.tables
        queue.extend(urljoin(ORIGIN + path, link) for link in page.links)
    return seen, problems, tables


def test_the_checker_tells_a_phone_table_from_one_that_is_not():
    assert _inspect('<div class="scroll"><table class="data"><tr><td>a</td></tr></table></div>').problems == []
    assert _inspect('<table class="data stack"><tr><td>a</td><td data-label="B">b</td></tr></table>').problems == []
    assert _inspect('<div class="content"><table><tr><td>a</td></tr></table></div>').problems == []
    assert _inspect('<div class="scroll"></div><table class="data"><tr><td>a</td></tr></table>').problems
    assert _inspect('<table class="data stack"><tr><td>a</td><td>b</td></tr></table>').problems
    assert not _inspect('<table class="stack"><tr><td colspan="2">none yet</td></tr></table>').problems


def test_every_table_a_demo_role_sees_stacks_or_scrolls(app, rich_demo):
    problems, tables = [], 0
    for role in ROLES:
        client = app.test_client()
        assert AuthActions(client).login(role, DEMO_PASSWORD).status_code == 302
        seen, found, count = _walk(client)
        problems += [f"{role} {p}" for p in found]
        tables += count
        if role == "coordinator1":
            import_page = next(path for key, path in seen.items() if key == "/cohorts/{n}/import")
            token = csrf_token(client.get(import_page).get_data(as_text=True))
            response = client.post(import_page, data={"csrf_token": token, "roster": (
                io.BytesIO(BAD_ROSTER.encode()), "bad.csv")}, content_type="multipart/form-data")
            preview = _inspect(response.get_data(as_text=True))
            assert preview.tables == 1 and 'class="bad"' in response.get_data(as_text=True)
            problems += [f"{role} {import_page} (problems): {p}" for p in preview.problems]
    assert tables > 10, "the walk found almost no tables: is it still following links?"
    assert not problems, "\n".join(problems)
