"""A trainee on a phone signs in, opens a module and marks it read."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import page_width, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_trainee_marks_a_module_read_on_a_phone(live_server, phone, shipped_demo):
    # trainee2: the demo's trainee1 has done everything already (see lms/certification/demo.py).
    sign_in(phone, live_server, "trainee2", "paralegal-demo")
    assert phone.url.endswith("/learn/")
    assert phone.locator("h1").inner_text() == "Belajar"
    phone.click("text=Hak Asasi Manusia")
    phone.wait_for_url("**/learn/modules/hak-asasi-manusia")   # a click starts the navigation only
    expect(phone.locator("h2", has_text="Tujuan pembelajaran")).to_be_visible()
    # Readable at 360 px: nothing forces sideways scrolling.
    assert page_width(phone) <= 360
    phone.click("button[name=mark_read]")
    expect(phone.locator("text=Anda sudah membaca modul ini.")).to_be_visible()
    screenshot(phone, "trainee-module-read")
    phone.goto(f"{live_server}/learn/")
    assert "1 dari 16 modul dibaca" in phone.content()
