"""A coordinator on a phone finds a trainee, opens their page and makes them a new
activation slip (confirming the second time, because the first slip's code still works);
the pages fit 360 px and the slips print without the site around them."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, page_width, screenshot, sign_in

pytestmark = pytest.mark.browser



def _ids(app):
    from lms.accounts.models import User
    from lms.extensions import db
    with app.app_context():
        melati = db.session.scalar(sa.select(User).where(User.username == "trainee1"))
        return melati.organisation_id, melati.id


def test_a_coordinator_finds_a_person_and_prints_a_new_slip_on_a_phone(app, live_server, phone, demo):
    org_id, melati_id = _ids(app)
    sign_in(phone, live_server, "coordinator1", DEMO_PASSWORD)

    phone.goto(f"{live_server}/organisations/{org_id}")
    phone.fill("input[name=q]", "meLATi")
    phone.click("form.search button[type=submit]")
    expect(phone.locator("p.count")).to_contain_text("yang cocok dengan “meLATi”")
    assert phone.locator("ul.people li").count() == 1
    assert page_width(phone) <= 360
    phone.click("ul.people a.name")
    expect(phone.locator("h1")).to_have_text("Melati")
    assert phone.url.endswith(f"/organisations/{org_id}/people/{melati_id}")
    assert phone.locator("section.card h3 a", has_text="Angkatan").count() >= 1
    assert page_width(phone) <= 360, "the person page scrolls sideways at 360 px"
    screenshot(phone, "person-page")

    # A first code: the slip comes at once, with its expiry and a print button (JS is on).
    phone.click("button[name=new_code]")
    expect(phone.locator("section.slip")).to_have_count(1)
    first = phone.locator("section.slip code.code").inner_text()
    assert "Berlaku sampai" in phone.locator("section.slip .expires").inner_text()
    expect(phone.locator("button[data-print]")).to_be_visible()   # shown by the page's script
    expect(phone.locator("[data-print-hint]")).to_be_hidden()
    assert page_width(phone) <= 360, "the slips page scrolls sideways at 360 px"
    screenshot(phone, "slips-page")
    # Printed: the slips alone, no header, buttons or footer.
    phone.emulate_media(media="print")
    assert phone.locator("section.slip").is_visible()
    for chrome in ("header.top", "footer", "button[data-print]", "h1"):
        assert not phone.locator(chrome).is_visible(), chrome
    phone.emulate_media(media="screen")

    # A second code: the old one still works, so the page asks first and says so.
    phone.goto(f"{live_server}/organisations/{org_id}/people/{melati_id}")
    assert "berlaku sampai" in phone.locator("ul.facts").inner_text()
    phone.click("button[name=new_code]")
    expect(phone.locator("button[name=confirm_codes]")).to_be_visible()
    assert phone.locator("section.slip").count() == 0
    assert "tidak berlaku lagi" in phone.content()
    assert page_width(phone) <= 360, "the confirmation scrolls sideways at 360 px"
    phone.click("button[name=confirm_codes]")
    expect(phone.locator("section.slip")).to_have_count(1)
    second = phone.locator("section.slip code.code").inner_text()
    assert second != first

    # Erasing asks first; the confirmation page fits too.
    phone.goto(f"{live_server}/organisations/{org_id}/people/{melati_id}")
    phone.click("a.danger")
    expect(phone.locator("input[name=understood]")).to_have_count(1)
    assert page_width(phone) <= 360


def test_the_slips_page_says_how_to_print_without_javascript(app, live_server, browser, demo):
    org_id, melati_id = _ids(app)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID",
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, "coordinator1", DEMO_PASSWORD)
        page.goto(f"{live_server}/organisations/{org_id}/people/{melati_id}")
        page.click("button[name=new_code]")
        page.wait_for_selector("section.slip")
        assert page.locator("section.slip").count() == 1
        assert not page.locator("button[data-print]").is_visible()
        assert "perintah Cetak" in page.locator("[data-print-hint]").inner_text()
        assert page_width(page) <= 360
    finally:
        context.close()
