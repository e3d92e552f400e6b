"""A trainee on a phone saves a track, loses the signal and keeps reading; quiz answers typed
with no signal stay on the phone; a module prints without the site around it."""
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_saved_track_is_read_with_no_connection(live_server, phone, demo):
    sign_in(phone, live_server, "trainee2", DEMO_PASSWORD)
    phone.goto(f"{live_server}/learn/tracks/dasar/offline")
    expect(phone.locator("#offline-unsupported")).to_be_hidden()
    # The badges are filled once the script has asked the phone's cache (a promise): wait for them.
    expect(phone.locator("#offline-modules [data-state]", has_text="Belum disimpan")).to_have_count(3)
    phone.click("text=Simpan untuk dibaca offline")
    phone.wait_for_selector("text=Semua modul jalur ini bisa dibaca offline di ponsel ini.")
    expect(phone.locator("#offline-modules [data-state]", has_text="Disimpan")).to_have_count(3)
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    screenshot(phone, "offline-track-saved")

    phone.context.set_offline(True)
    phone.goto(f"{live_server}/learn/modules/modul-2")
    assert phone.locator("h1").inner_text() == "Modul Uji 2"
    assert phone.locator("article.content").is_visible()
    assert phone.evaluate("navigator.onLine") is False
    # Styled from the page itself: the inline stylesheet came with it.
    assert phone.evaluate("getComputedStyle(document.querySelector('.top')).display") == "flex"
    screenshot(phone, "offline-module-read")
    # A page that was never saved does not open: the module above came from the phone.
    with pytest.raises(PlaywrightError):
        phone.goto(f"{live_server}/learn/gain")
    # Chromium then shows its own error page; wait until it has, so the next visit is not cut off.
    phone.wait_for_url("chrome-error://**", wait_until="commit")
    phone.goto(f"{live_server}/learn/tracks/dasar/offline")
    phone.wait_for_selector("text=3 dari 3 modul tersimpan di ponsel ini.")

    phone.context.set_offline(False)
    phone.click("text=Hapus dari ponsel ini")
    phone.wait_for_selector("text=0 dari 3 modul tersimpan di ponsel ini.")


def test_quiz_answers_typed_offline_stay_on_the_phone(live_server, phone, demo):
    sign_in(phone, live_server, "trainee2", DEMO_PASSWORD)
    phone.goto(f"{live_server}/quiz/kuis-semua-tipe")
    phone.click("button[name=start]")
    phone.check("input[name=q0][value='1']")
    phone.click("button[value=next]")
    phone.wait_for_url(re.compile(r"/quiz/attempts/\d+\?page=2$"))    # loaded: the page's deferred script ran
    expect(phone.locator("#offline-note")).to_be_hidden()
    essay = "Saya menilai keamanan korban lalu meminta persetujuannya."
    phone.fill("input[name=q5]", "sapa 129")
    phone.fill("textarea[name=q7]", essay)

    phone.context.set_offline(True)
    note = phone.locator("#offline-note")
    note.wait_for(state="visible")
    assert "Anda sedang offline — jawaban disimpan di perangkat ini" in note.inner_text()
    url = phone.url
    phone.click("button[value=save]")           # sending with no signal keeps the page
    assert phone.url == url
    assert phone.input_value("textarea[name=q7]") == essay
    screenshot(phone, "quiz-offline-notice")

    phone.context.set_offline(False)
    note.wait_for(state="hidden")
    phone.reload()                               # the server never got the page-2 answers
    assert phone.input_value("textarea[name=q7]") == essay
    assert phone.input_value("input[name=q5]") == "sapa 129"
    expect(phone.locator("#restored-note")).to_be_visible()
    phone.click("button[value=save]")            # now the server has them
    expect(phone.locator("text=Jawaban Anda tersimpan. Anda bisa melanjutkannya nanti.")).to_have_count(1)
    kept = phone.evaluate("Object.keys(localStorage).map(k => localStorage.getItem(k)).join('')")
    assert essay not in kept                     # the device no longer holds its own copy
    expect(phone.locator("#restored-note")).to_be_hidden()
    assert phone.input_value("textarea[name=q7]") == essay   # from the server's draft
    phone.click("button[value=submit]")
    phone.click("button[name=confirm_unanswered]")
    # The result page forgets the attempt from a deferred script: wait for its load event first.
    phone.wait_for_url(re.compile(r"/quiz/attempts/\d+/result"))
    # Submitted: nothing of this attempt stays on the phone.
    assert phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('lms-quiz-answers:'))") == []


def test_a_module_prints_without_the_site_around_it(live_server, phone, demo):
    sign_in(phone, live_server, "trainee2", DEMO_PASSWORD)
    phone.goto(f"{live_server}/learn/modules/modul-1")
    assert phone.locator("p.print-only.url").is_hidden()
    phone.emulate_media(media="print")
    assert phone.locator("header.top").is_hidden()
    assert phone.locator("footer").is_hidden()
    assert phone.locator("form.mark-read").is_hidden()
    assert phone.locator("p.print-only.url").inner_text() == f"{live_server}/learn/modules/modul-1"
    assert phone.locator("article.content").is_visible()


def test_a_facilitator_prints_a_whole_track_on_a4(live_server, browser, demo):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server, "facilitator1", DEMO_PASSWORD)
    page.goto(f"{live_server}/learn/tracks/dasar/print")
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden()
    assert page.locator("article.module-text").count() == 3
    assert page.evaluate("getComputedStyle(document.querySelectorAll('article.module-text')[1])"
                         ".breakBefore") == "page"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    # The cover, then each (short) module on a page of its own.
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 4
    context.close()
