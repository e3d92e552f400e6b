"""Every page each demo role can reach, opened on a 360 px phone: nothing scrolls sideways, no
raw Markdown shows, and content is named by its title, never by its slug.

The crawl is generic: it follows every same-origin link from `/`, so pages added later are
covered without touching this file. Numeric ids are folded (`/cohorts/7` and `/cohorts/8` are
one page) to keep it bounded. A few pages sit behind forms (a quiz attempt, the check before
submitting, an import with problems); those are reached by filling the forms."""
from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, page_width, screenshot, sign_in
from tests.crawl import BAD_ROSTER, create_rich_demo, fold, followable

pytestmark = pytest.mark.browser

WIDTH = 360
ROLES = ("trainee1", "facilitator1", "coordinator1", "admin", "anonymous")
PUBLIC_PAGES = ("/login", "/activate", "/verify")  # where someone signed out starts
PAGES_PER_ROLE = 150
REAL_PAGES = 300
QUIZZES_TO_TAKE = 2
BAD_ROLEPLAY = "---\nslug: rp-rusak-dengan-nama-berkas-yang-sangat-panjang-sekali\n---\n## Tanpa judul\n"

# One pass over the page in the browser: how wide it is (and what sticks out), raw Markdown in
# the text people read, slugs shown as text, and the links to follow.
INSPECT = """(slugs) => {
  const known = new Set(slugs);
  const width = document.documentElement.clientWidth;
  // A printed address (.url) carries the slug as part of the URL, which is what it is.
  const skip = 'script,style,textarea,template,noscript,pre,code,kbd,samp,.url';
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > width + 1)) {
      let scroller = el.parentElement;
      while (scroller && getComputedStyle(scroller).overflowX === 'visible') scroller = scroller.parentElement;
      if (!scroller || scroller === document.body || scroller === document.documentElement) wide.push(name(el) + ' ' + (el.textContent || '').trim().slice(0, 40));
    }
  }
  const markdown = [], shown = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    const text = node.nodeValue;
    if (text.includes('**') || /(^|\\s)#{2,6} /.test(text)) markdown.push(text.trim().slice(0, 60));
    const whole = (parent.innerText || '').trim();
    for (const token of text.split(/[\\s,;:()\\[\\]"'\u201c\u201d\u2018\u2019.!?\\/\u00b7\u203a\u2013\u2014]+/)) {
      if (!known.has(token)) continue;
      // A one-word slug ("dasar") is also a word of prose: flag it only standing alone, and
      // never in the authors' own text (.content).
      if (/[-_0-9]/.test(token) || (whole === token && !parent.closest('.content'))) shown.push(token + ' in ' + name(parent));
    }
  }
  // A table that still needs sideways scrolling inside its wrapper must keep its key column.
  const tables = [];
  for (const table of document.querySelectorAll('table')) {
    let scroller = table.parentElement;
    while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
    const box = scroller || document.documentElement;
    if (table.getBoundingClientRect().width <= box.clientWidth + 1) continue;
    const first = table.querySelector('tbody tr > :first-child');
    if (!first || getComputedStyle(first).position !== 'sticky') tables.push(name(table) + ' (' + ((table.querySelector('th') || {}).innerText || '') + ' …)');
  }
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) {
    if (!a.hasAttribute('download')) links.push(a.href);
  }
  return {upload: !!document.querySelector('form input[type=file]'), scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5),
          tables, markdown: markdown.slice(0, 5), shown: [...new Set(shown)].slice(0, 5), links};
}"""


@pytest.fixture
def rich_demo(app, synced):
    with app.app_context():
        create_rich_demo(DEMO_PASSWORD)


def _content_slugs(app) -> list[str]:
    """Every slug of every registered content kind (modules, quizzes, tracks, role-plays …),
    and the keys of question types, which pages name by their label."""
    from lms.assessment.question_types import QUESTION_TYPES
    from lms.content.kinds import registered
    from lms.extensions import db
    with app.app_context():
        slugs = set(QUESTION_TYPES)
        for kind in registered():
            if kind.model is not None:
                slugs.update(db.session.scalars(sa.select(kind.model.slug)))
        return sorted(slugs)


class Walk:
    """One role's visit: the pages seen and what was wrong on each."""

    def __init__(self, page, base: str, role: str, slugs: list[str], cap: int):
        self.page, self.base, self.role, self.slugs, self.cap = page, base, role, slugs, cap
        self.seen: dict[str, str] = {}        # folded path -> the url visited
        self.uploads: list[str] = []          # pages with a file upload form
        self.failures: list[str] = []

    def check(self, label: str) -> dict:
        """Inspect the page now open and record its problems; returns what INSPECT found."""
        found = self.page.evaluate(INSPECT, self.slugs)
        problems = []
        if found["scrollWidth"] > WIDTH:
            problems.append(f"scrolls sideways ({found['scrollWidth']} px; too wide: {found['wide']})")
        if found["tables"]:
            problems.append(f"table needs sideways scrolling and hides its key column {found['tables']}")
        if found["markdown"]:
            problems.append(f"raw Markdown {found['markdown']}")
        if found["shown"]:
            problems.append(f"slug instead of title {found['shown']}")
        self.failures += [f"{self.role} {label}: {p}" for p in problems]
        return found

    def open(self, url: str) -> list[str]:
        response = self.page.goto(url)
        path = urlsplit(self.page.url).path
        if response is None or response.status >= 400:
            self.failures.append(f"{self.role} {path}: answers {response.status if response else 'nothing'}")
            return []
        if "text/html" not in response.headers.get("content-type", ""):
            return []
        found = self.check(path)
        if found["upload"]:
            self.uploads.append(url)
        return found["links"]

    def crawl(self, *starts: str) -> None:
        """Breadth-first from `starts` (urls), each folded path once, up to the cap."""
        queue = deque(starts or [self.base + "/"])
        while queue and len(self.seen) < self.cap:
            url = queue.popleft().split("#")[0]
            key = fold(urlsplit(url).path)
            if key in self.seen or not followable(url, self.base):
                continue
            self.seen[key] = url
            queue.extend(link for link in self.open(url) if fold(urlsplit(link).path) not in self.seen)

    def submit(self, locator, label: str) -> list[str]:
        """Press a form's button, wait for the page it leads to, check that page."""
        with self.page.expect_navigation():
            locator.click()
        path = urlsplit(self.page.url).path
        self.seen.setdefault(fold(path), self.page.url)
        return self.check(f"{path} ({label})")["links"]

    def visited(self, pattern: str) -> list[str]:
        return [url for key, url in self.seen.items() if re.search(pattern, key)]


def _take_quizzes(walk: Walk) -> list[str]:
    """Start quizzes, page through them, submit with blanks: the attempt pages, the check
    before submitting and the result are only reached through forms. Returns their links."""
    taken, links = 0, []
    for url in walk.visited(r"^/quiz/[^/{}]+$"):
        if taken >= QUIZZES_TO_TAKE:
            break
        walk.page.goto(url)
        start = walk.page.locator("button[name=start]")
        if not start.count():
            continue
        taken += 1
        links += walk.submit(start, "attempt page 1")
        for number in range(2, 20):
            following = walk.page.locator("button[name=action][value=next]")
            if not following.count():
                break
            links += walk.submit(following, f"attempt page {number}")
        links += walk.submit(walk.page.locator("button[name=action][value=submit]"), "after submitting")
        confirm = walk.page.locator("button[name=confirm_unanswered]")
        if confirm.count():
            links += walk.submit(confirm, "submitted anyway")
    assert taken, "the trainee found no quiz to start"
    return links


def _upload_bad_files(walk: Walk, tmp_path) -> int:
    """Every upload form gets a file with problems: the page listing them must fit too."""
    uploads = 0
    for url in walk.uploads:
        walk.page.goto(url)
        file_input = walk.page.locator("form input[type=file]")
        accept = file_input.first.get_attribute("accept") or ""
        bad = tmp_path / ("bad.csv" if "csv" in accept else "bad.md")
        bad.write_text(BAD_ROSTER if "csv" in accept else BAD_ROLEPLAY, encoding="utf-8")
        file_input.first.set_input_files(str(bad))
        walk.submit(walk.page.locator("form:has(input[type=file]) button[type=submit]").first,
                    f"after uploading {bad.name} with problems")
        uploads += 1
        if re.search(r"/cohorts/\d+/import", url) and walk.page.locator("table tr.bad").count() < 4:
            walk.failures.append(f"{walk.role} {url}: the roster import shows no row with a problem")
    return uploads


def _signed_in(page, base: str, username: str) -> None:
    """Sign in and wait for the page after it, so the next step never cuts the sign-in short."""
    sign_in(page, base, username, DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state()


def _walk(app, live_server, browser, roles, cap, forms=None) -> tuple[list[str], dict[str, int]]:
    """Each role crawls on its own phone, then `forms(walk)` reaches what is behind forms;
    every problem found is collected, none stops the walk."""
    slugs = _content_slugs(app)
    failures, counts = [], {}
    for role in roles:
        context = browser.new_context(viewport={"width": WIDTH, "height": 740}, locale="id-ID")
        try:
            page = context.new_page()
            walk = Walk(page, live_server, role, slugs, cap)
            if role == "anonymous":
                walk.crawl(*(live_server + path for path in PUBLIC_PAGES))
            else:
                _signed_in(page, live_server, role)
                walk.crawl()
            if forms:
                forms(walk)
            failures += walk.failures
            counts[role] = len(walk.seen)
        finally:
            context.close()
    print("pages per role:", counts)
    return failures, counts


def test_every_page_fits_a_phone_and_names_content_by_title(app, live_server, browser, rich_demo, tmp_path):
    assert {"kuis-modul-1", "modul-1", "rp-uji", "dasar"} <= set(_content_slugs(app))
    uploads = []

    def forms(walk):
        if walk.role.startswith("trainee"):
            walk.crawl(*_take_quizzes(walk))
        elif walk.role != "anonymous":
            uploads.append(_upload_bad_files(walk, tmp_path))

    failures, counts = _walk(app, live_server, browser, ROLES, PAGES_PER_ROLE, forms)
    assert counts["trainee1"] >= 5 and counts["coordinator1"] >= 15 and counts["anonymous"] >= 3, counts
    assert sum(uploads) >= 2, "no import form was found"
    assert not failures, f"{len(failures)} problems on phone pages:\n" + "\n".join(failures)


def test_screenshots_of_table_pages_on_a_phone(live_server, phone, rich_demo, tmp_path):
    """Pictures of the pages with tables (test-artifacts/phone-*.png), to look at."""
    _signed_in(phone, live_server, "coordinator1")
    phone.goto(f"{live_server}/cohorts/")
    phone.locator("main a", has_text="Angkatan I").first.click()
    cohort = urlsplit(phone.url).path
    phone.locator("table.matrix").scroll_into_view_if_needed()
    scroller = phone.locator(".scroll:has(table.matrix)")
    assert scroller.evaluate("box => { box.scrollBy(400, 0); return box.scrollLeft; }") > 0
    name = phone.locator("table.matrix tbody td.who").first
    assert abs(name.bounding_box()["x"] - scroller.bounding_box()["x"]) < 2  # the names stay in view
    screenshot(phone, "phone-matrix-scrolled")
    for path, name in ((f"{cohort}/gain", "phone-gain"), ("/quiz/kuis-modul-1/analysis", "phone-item-analysis"),
                       (f"{cohort}/certification", "phone-certification")):
        phone.goto(f"{live_server}{path}")
        assert page_width(phone) <= WIDTH, path
        screenshot(phone, name)
    phone.goto(f"{live_server}/")
    phone.click("header nav a[href^='/organisations/']")
    phone.wait_for_url("**/organisations/*")   # a click starts the navigation, not waits for it
    people = phone.locator("ul.people li")      # a list of people, each opening their page
    expect(people.nth(3)).to_be_visible()
    assert page_width(phone) <= WIDTH
    screenshot(phone, "phone-people")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_ROSTER, encoding="utf-8")
    phone.goto(f"{live_server}{cohort}/import")
    phone.set_input_files("input[name=roster]", str(bad))
    phone.click("button.primary")
    phone.locator("table.stack tr.bad").first.scroll_into_view_if_needed()
    assert page_width(phone) <= WIDTH
    screenshot(phone, "phone-import-problems")


@pytest.fixture
def real_demo(app):
    """The demo over the real curriculum (modules/, quizzes/, roleplays/ of this repository)."""
    from lms.content.loader import load_curriculum
    from lms.content.sync import sync_curriculum
    from lms.demo import create_demo_data
    from lms.extensions import db
    from tests.conftest import REPO_ROOT
    curriculum = load_curriculum(REPO_ROOT)
    assert curriculum.ok, curriculum.problems
    with app.app_context():
        sync_curriculum(curriculum)
        create_demo_data(DEMO_PASSWORD)
        db.session.commit()


def test_real_curriculum_pages_fit_a_phone(app, live_server, browser, real_demo):
    """The shipped modules, quizzes and role-plays: their tables, long words and prompts. A
    coordinator sees every content page a trainee sees, and the staff pages about them."""
    failures, counts = _walk(app, live_server, browser, ("coordinator1",), REAL_PAGES)
    assert counts["coordinator1"] > 60, counts
    assert not failures, f"{len(failures)} problems on phone pages:\n" + "\n".join(failures)
    # A picture of a module with a Markdown table and of the trainee's home, to look at.
    from tests.conftest import REPO_ROOT
    with_table = next(p.stem for p in sorted((REPO_ROOT / "modules").glob("*.md"))
                      if any(line.startswith("|") for line in p.read_text(encoding="utf-8").splitlines()))
    context = browser.new_context(viewport={"width": WIDTH, "height": 740}, locale="id-ID")
    try:
        page = context.new_page()
        _signed_in(page, live_server, "trainee1")
        screenshot(page, "phone-home-real")
        page.goto(f"{live_server}/learn/modules/{with_table}")
        page.locator(".content table").first.scroll_into_view_if_needed()
        screenshot(page, "phone-module-table")
    finally:
        context.close()
