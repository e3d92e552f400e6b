"""A real server in a thread and Debian's chromium driven by Playwright."""
import os
import shutil
from pathlib import Path

import pytest

DEMO_PASSWORD = "paralegal-demo"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: no background calls home, no sandbox as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


def _settled_content(page) -> str:
    """Page.content() once the document has loaded. A click that submits a form returns when
    the new page starts loading; read at once, its HTML can still be empty on a busy machine."""
    page.wait_for_load_state("load")
    return _raw_content(page)


def page_width(page) -> int:
    """How wide the page's document is, once it has loaded: read straight after a click that
    navigates, there may be no document yet ("Cannot read properties of null")."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


try:
    from playwright.sync_api import Page
    _raw_content = Page.content
    Page.content = _settled_content
except ImportError:  # the browser fixture reports the missing package
    pass


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A fresh 360x740 page, like a cheap Android phone."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")


@pytest.fixture
def demo(app, synced):
    """The demo organisation, cohort and accounts over the fixture curriculum."""
    from lms.demo import create_demo_data
    from lms.extensions import db
    with app.app_context():
        create_demo_data(DEMO_PASSWORD)
        db.session.commit()


@pytest.fixture
def shipped_demo(app):
    """The demo over the shipped curriculum (sixteen modules in the demo cohort's track)."""
    from lms.config import REPO_ROOT
    from lms.content.loader import load_curriculum
    from lms.content.sync import sync_curriculum
    from lms.demo import create_demo_data
    from lms.extensions import db
    with app.app_context():
        curriculum = load_curriculum(REPO_ROOT)
        assert curriculum.ok, curriculum.problems[:5]
        sync_curriculum(curriculum)
        create_demo_data(DEMO_PASSWORD)
        db.session.commit()
