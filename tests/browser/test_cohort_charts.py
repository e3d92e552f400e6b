"""On a 360 px phone a facilitator reads the cohort's charts, opens a cell of the matrix and
sees that trainee's module; the trainee sees their own pre/post chart. Nothing scrolls sideways."""
import pytest
from playwright.sync_api import expect

from lms.extensions import db
from lms.learning.progress import mark_read
from tests.browser.conftest import page_width, screenshot, sign_in
from tests.conftest import PASSWORD
from tests.factories import take_quiz, world

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page_width(page) <= 360


def test_charts_and_a_trainees_module_fit_a_phone(app, synced, live_server, browser, phone):
    ids = world(app)
    with app.app_context():
        mark_read(ids["ta1"], "modul-1")
        take_quiz(ids["ta1"], "kuis-modul-1", {"0": 1, "1": False})
        take_quiz(ids["ta1"], "kuis-modul-1", {"0": 0, "1": False})
        take_quiz(ids["ta1"], "kasus-uji", {"0": 1, "1": "Rencana pendampingan: rujuk ke LBH setempat."})
        take_quiz(ids["ta1"], "pretest-dasar", {"0": False, "1": "24"})
        db.session.commit()

    sign_in(phone, live_server, "fac-a", PASSWORD)
    phone.goto(f"{live_server}/cohorts/{ids['cohort_a']}")
    chart = phone.locator("svg#completion-chart")
    assert chart.get_attribute("role") == "img"
    box = chart.bounding_box()
    assert box["width"] > 250 and box["x"] + box["width"] <= 360
    assert fits(phone)
    screenshot(phone, "cohort-charts")

    phone.locator("tr", has_text="Trainee-A1").locator("td.st a").first.click()
    assert phone.url.endswith(f"/trainees/{ids['ta1']}/modules/modul-1")
    body = phone.content()
    assert "1 dari 2 poin (50%)" in body and "2 dari 2 poin (100%)" in body
    assert fits(phone)
    screenshot(phone, "trainee-module")
    phone.click("text=Angkatan A")
    phone.locator("tr", has_text="Trainee-A1").locator("td.st a").nth(1).click()
    expect(phone.locator("body")).to_contain_text("Rencana pendampingan: rujuk ke LBH setempat.")
    assert fits(phone)

    trainee = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID").new_page()
    with app.app_context():
        take_quiz(ids["ta1"], "posttest-dasar", {"0": True, "1": "24"})
        db.session.commit()
    sign_in(trainee, live_server, "trainee-a1", PASSWORD)
    trainee.goto(f"{live_server}/learn/tracks/dasar/gain")
    assert trainee.locator("svg#gain-chart > title").text_content() == "Pre-test dan post-test per modul"
    assert trainee.locator("svg#gain-chart").bounding_box()["width"] <= 360
    assert fits(trainee)
    screenshot(trainee, "trainee-gain-chart")
    trainee.context.close()
