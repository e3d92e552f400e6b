"""A coordinator on a phone signs someone out everywhere, then reads it in the audit log;
a trainee finds the download of their own data on the account page."""
from tests.browser.conftest import DEMO_PASSWORD, page_width, screenshot, sign_in


def test_coordinator_reads_the_audit_log_and_trainee_downloads_their_data(live_server, browser, phone, demo):
    sign_in(phone, live_server, "coordinator1", DEMO_PASSWORD)
    phone.click("nav >> text=Orang")
    phone.click("ul.people a:has-text('Melati')")          # the person page holds the actions
    phone.locator("form[action$='/sessions/end'] button").first.click()
    phone.click("nav >> text=Orang")
    phone.click("text=Catatan audit")
    assert "/audit" in phone.url
    entry = phone.locator("ol.audit li").first
    assert "Keluar dari semua perangkat" in entry.inner_text()
    assert "oleh" in entry.inner_text()
    assert page_width(phone) <= 360
    screenshot(phone, "audit-log-360")

    trainee = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID").new_page()
    sign_in(trainee, live_server, "trainee1", DEMO_PASSWORD)
    trainee.goto(f"{live_server}/account/sessions")
    with trainee.expect_download() as download:
        trainee.click("text=Unduh data saya")
    assert download.value.suggested_filename == "my-data.json"
    assert page_width(trainee) <= 360
    trainee.context.close()
