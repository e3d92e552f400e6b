"""A facilitator adapts a shipped role-play and runs it live: two trainees on phones each see
only their own secret, an observer ticks the checklist, the facilitator debriefs and ends the
run, and the cohort matrix shows who took part."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, page_width, screenshot, sign_in

pytestmark = pytest.mark.browser

NEW_SECRET = "Pasangan Anda memegang ponsel Anda malam ini."
OTHER_SECRET = "Ini hari pertama Anda."


def _demo_cohort_id(app):
    """The demo cohort; its trainee3 (Cempaka) observes."""
    from lms.cohorts.models import Cohort
    from lms.demo import DEMO_COHORT
    from lms.extensions import db
    with app.app_context():
        return db.session.scalar(sa.select(Cohort.id).where(Cohort.name == DEMO_COHORT))


def _no_sideways_scroll(page):
    assert page_width(page) <= 360


def test_facilitator_runs_an_adapted_role_play_with_trainees_on_phones(live_server, browser, demo, app):
    cohort_id = _demo_cohort_id(app)
    facilitator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(facilitator, live_server, "facilitator1", DEMO_PASSWORD)

    # Duplicate the shipped role-play, change a secret, publish.
    facilitator.goto(f"{live_server}/roleplays/")
    facilitator.locator("li", has_text="Role-play Uji").locator("button", has_text="Salin untuk disesuaikan").click()
    assert facilitator.url.endswith("/edit")
    slug = re.search(r"/roleplays/([^/]+)/edit", facilitator.url).group(1)
    facilitator.fill("textarea[name=roles-0-secret]", NEW_SECRET)
    facilitator.click("button[value=save]")
    expect(facilitator.locator("body")).to_contain_text("Draf tersimpan.")
    facilitator.click("button[name=publish]")
    expect(facilitator.locator("body")).to_contain_text("Diterbitkan sebagai versi 1")

    # Start a run with the demo cohort: one group, roles by hand.
    facilitator.goto(f"{live_server}/cohorts/{cohort_id}/roleplay-runs/new")
    facilitator.select_option("select[name=roleplay]", slug)
    facilitator.fill("input[name=number]", "1")
    facilitator.check("input[name=assign][value=hand]")
    facilitator.click("button.primary")
    expect(facilitator.locator("body")).to_contain_text("Kelompok dan peran sudah siap")
    facilitator.select_option("tr[data-user=trainee1] select[name^=role-]", "Penelepon")
    facilitator.select_option("tr[data-user=trainee2] select[name^=role-]", "Paralegal")
    facilitator.select_option("tr[data-user=trainee3] select[name^=role-]", "observer")
    facilitator.click("text=Simpan kelompok dan peran")
    expect(facilitator.locator("body")).to_contain_text("Kelompok dan peran tersimpan.")
    facilitator.click("button[name=start]")
    expect(facilitator.locator("body")).to_contain_text("Role-play berlangsung.")
    manage_url = facilitator.url
    run_id = int(re.search(r"/roleplay-runs/(\d+)$", manage_url).group(1))

    # Each trainee opens the run from the home page on a phone and sees only their own secret.
    pages = {}
    for username, own, other in (("trainee1", NEW_SECRET, OTHER_SECRET), ("trainee2", OTHER_SECRET, NEW_SECRET)):
        phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID").new_page()
        sign_in(phone, live_server, username, DEMO_PASSWORD)
        phone.click(f"a[href='/roleplay-runs/{run_id}']")
        html = phone.content()
        assert own in html and other not in html, username
        assert "Kartu rahasia Anda" in html
        _no_sideways_scroll(phone)
        screenshot(phone, f"roleplay-{username}")
        pages[username] = phone

    # The observer ticks the checklist and writes a note.
    observer = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID").new_page()
    sign_in(observer, live_server, "trainee3", DEMO_PASSWORD)
    observer.goto(f"{live_server}/roleplay-runs/{run_id}")
    html = observer.content()
    assert NEW_SECRET not in html and OTHER_SECRET not in html
    observer.check("input[name=tick][value='0']")
    observer.fill("textarea[name=note-0]", "Penelepon bicara pelan dan berkode.")
    observer.click("text=Simpan pengamatan")
    expect(observer.locator("body")).to_contain_text("Pengamatan Anda tersimpan.")
    _no_sideways_scroll(observer)
    screenshot(observer, "roleplay-observer")

    # The facilitator sees the tick, records the debrief and ends the run.
    facilitator.goto(manage_url)
    group = facilitator.locator("#group-1")
    assert "✓" in group.locator("table.ticks").inner_text()
    assert "Penelepon bicara pelan dan berkode." in group.inner_text()
    group.locator("textarea[name=notes]").fill("Paralegal menanyakan keamanan di menit pertama.")
    group.locator("button", has_text="Simpan catatan debrief").click()
    expect(facilitator.locator("body")).to_contain_text("Catatan debrief tersimpan.")
    facilitator.click("button[name=end]")
    expect(facilitator.locator("body")).to_contain_text("Role-play sudah selesai.")
    screenshot(facilitator, "roleplay-facilitator")

    # The matrix shows participation.
    facilitator.goto(f"{live_server}/cohorts/{cohort_id}")
    # Melati also took part in the demo's earlier run.
    for name, runs in (("Melati", "2"), ("Kenanga", "1"), ("Cempaka", "1")):
        assert facilitator.locator("tr", has_text=name).locator("td.roleplays").inner_text() == runs
