"""A coordinator sets the rules, sees why trainee2 is not eligible, certifies trainee1 and
downloads the PDF; an anonymous phone opens the verify page from the PDF's QR code: valid,
then revoked."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, page_width, screenshot, sign_in

pytestmark = pytest.mark.browser


def _qr_url(pdf_path) -> str:
    import pypdfium2
    import zxingcpp
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    codes = [r.text for r in zxingcpp.read_barcodes(image)]
    assert len(codes) == 1, codes
    return codes[0]


def test_coordinator_certifies_and_anyone_verifies_on_a_phone(live_server, browser, phone, demo, tmp_path):
    coordinator = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    sign_in(coordinator, live_server, "coordinator1", DEMO_PASSWORD)
    coordinator.goto(f"{live_server}/cohorts/")
    coordinator.click("text=Angkatan I")
    coordinator.click("a.button:has-text('Sertifikasi')")
    assert re.search(r"/cohorts/\d+/certification$", coordinator.url)

    # The rules: the fixture curriculum has no post-test for the demo track, so switch it off.
    coordinator.fill("input[name=post_test_min]", "0")
    coordinator.click("button[name=save_rules]")
    expect(coordinator.locator("body")).to_contain_text("Aturan disimpan")
    assert coordinator.input_value("input[name=post_test_min]") == "0"

    kenanga = coordinator.locator("li.trainee", has_text="Kenanga")
    assert "belum" in kenanga.locator("h2").inner_text()
    assert "kehadiran 3 dari 5 sesi = 60%, minimal 80%" in kenanga.inner_text()
    assert "praktik lapangan disahkan: 1, minimal 3" in kenanga.inner_text()
    melati = coordinator.locator("li.trainee", has_text="Melati")
    assert "memenuhi syarat" in melati.locator("h2").inner_text()
    screenshot(coordinator, "certification-cohort")

    melati.locator("h2 a").click()
    coordinator.click("button[name=certify]")
    expect(coordinator.locator("body")).to_contain_text("Sertifikat diterbitkan.")
    with coordinator.expect_download() as download:
        coordinator.click("a.button:text-is('PDF')")
    pdf_path = tmp_path / "sertifikat.pdf"
    download.value.save_as(pdf_path)
    url = _qr_url(pdf_path)
    assert re.fullmatch(re.escape(live_server) + r"/verify/[A-Za-z0-9_-]{32}", url)

    # Anyone, not signed in, on a phone.
    phone.goto(url)
    assert "SAH" in phone.locator("p.verdict").inner_text()
    assert "Melati" in phone.content() and "Jaringan Paralegal Komunitas Karangsari" in phone.content()
    assert page_width(phone) <= 360
    assert phone.locator("meta[name=robots]").get_attribute("content").startswith("noindex")
    screenshot(phone, "verify-valid")

    coordinator.fill("textarea[name=reason]", "Diterbitkan karena salah data")
    coordinator.click("button[name=revoke]")
    expect(coordinator.locator("body")).to_contain_text("Sertifikat dicabut.")
    phone.reload()
    assert "DICABUT" in phone.locator("p.verdict").inner_text()
    screenshot(phone, "verify-revoked")
