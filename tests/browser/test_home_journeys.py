"""Each role's daily path on a phone, from their home page over the demo on the shipped
curriculum: a facilitator scores an essay and decides an RTL, a coordinator opens the cohort
and certifies the eligible trainees, a trainee continues with the next module."""
import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, page_width, screenshot, sign_in

pytestmark = pytest.mark.browser


def _fits(page):
    assert page_width(page) <= 360, page.url


def test_facilitator_goes_from_home_to_scoring_an_essay_and_deciding_an_rtl(live_server, phone, shipped_demo):
    sign_in(phone, live_server, "facilitator1", DEMO_PASSWORD)
    assert phone.url.endswith("/learn/")
    assert phone.locator("h1").inner_text() == "Pekerjaan Anda"
    assert "Mulai dengan pre-test" not in phone.content()
    essays = phone.locator("#essays")
    assert essays.locator(".big").inner_text() == "3"
    assert "Yang terlama dikirim" in essays.inner_text()
    assert "6 dari 12 peserta menyelesaikan" in phone.locator("#cohorts").inner_text()
    assert phone.locator("#sessions li").count() == 2
    _fits(phone)
    screenshot(phone, "home-facilitator")

    # Home -> review queue -> the oldest essay -> scored.
    phone.click("text=Buka antrean penilaian")
    phone.wait_for_url("**/review/")
    _fits(phone)
    phone.locator("ul.queue a").first.click()
    phone.wait_for_url(re.compile(r".*/review/attempts/\d+/questions/\d+$"))
    phone.locator("select[name=c0]").wait_for()
    _fits(phone)
    for select in phone.locator("select[name^=c]").all():
        select.select_option(index=select.locator("option").count() - 1)
    phone.fill("textarea[name=comment]", "Runtut dan aman bagi korban.")
    phone.click("button[name=return_review]")
    phone.wait_for_url("**/review/")
    assert "Penilaian tersimpan." in phone.content()
    phone.click("header nav a:has-text('Pekerjaan Anda')")
    phone.wait_for_url("**/learn/")
    assert phone.locator("#essays .big").inner_text() == "2"

    # Home -> an RTL waiting -> approved; it leaves the list.
    rtl = phone.locator("#rtl")
    assert "Anggrek" in rtl.inner_text()
    rtl.locator("a", has_text="Anggrek").click()
    phone.wait_for_url(re.compile(r".*/cohorts/\d+/rtl/\d+$"))
    _fits(phone)
    phone.click("button[value=approve]")
    phone.wait_for_url(re.compile(r".*/cohorts/\d+$"))
    assert "RTL disetujui." in phone.content()
    phone.goto(f"{live_server}/learn/")
    assert "Anggrek" not in phone.locator("#rtl").inner_text()

    # Home -> the next session's attendance.
    phone.locator("#sessions a", has_text="Isi kehadiran").first.click()
    phone.wait_for_url("**/attendance")
    assert phone.locator("fieldset.person").count() == 12
    _fits(phone)


def test_coordinator_goes_from_home_to_the_cohort_and_certifies(live_server, phone, shipped_demo):
    sign_in(phone, live_server, "coordinator1", DEMO_PASSWORD)
    assert phone.locator("h1").inner_text() == "Pekerjaan Anda"
    card = phone.locator("li.cohort-card", has_text="Angkatan I")
    assert "6 dari 12 peserta menyelesaikan" in card.inner_text()
    assert "4 siap disertifikasi · 0 bersertifikat" in card.inner_text()
    assert phone.locator("#essays .big").inner_text() == "3"
    assert "Kemuning" in phone.locator("#practice").inner_text()
    _fits(phone)
    screenshot(phone, "home-coordinator")

    card.locator("h3 a").click()
    phone.wait_for_url(re.compile(r".*/cohorts/\d+$"))
    assert phone.locator("table.matrix tbody tr").count() == 12

    phone.go_back()
    phone.locator("li.cohort-card", has_text="Angkatan I").locator("a", has_text="Sertifikasi").click()
    phone.wait_for_url("**/certification")
    phone.click("button[name=issue_all]")
    phone.locator("text=4 sertifikat diterbitkan.").wait_for()
    phone.goto(f"{live_server}/learn/")
    card = phone.locator("li.cohort-card", has_text="Angkatan I")
    assert "0 siap disertifikasi · 4 bersertifikat" in card.inner_text()

    phone.locator("#more a", has_text="Orang").click()
    phone.wait_for_url(re.compile(r".*/organisations/\d+$"))
    _fits(phone)


def test_trainee_sees_what_is_left_and_continues_with_the_next_module(live_server, phone, shipped_demo):
    sign_in(phone, live_server, "trainee6", DEMO_PASSWORD)     # Kamboja, a third of the way
    assert phone.locator("h1").inner_text() == "Belajar"
    left = phone.locator("section.certificate")
    assert "Yang masih perlu untuk sertifikat" in left.inner_text()
    assert "RTL dikembalikan untuk diperbaiki" in left.inner_text()
    _fits(phone)
    screenshot(phone, "home-trainee")
    button = phone.locator("a.button.primary", has_text="Lanjutkan")
    title = button.inner_text().split("·", 1)[1].strip()
    button.click()
    phone.wait_for_url("**/learn/modules/*")
    assert phone.locator("h1").inner_text() == title
    _fits(phone)
