"""A trainee on a phone answers every question type; a facilitator reviews a case analysis."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, page_width, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_every_question_type_is_taken_graded_and_explained(live_server, phone, demo):
    sign_in(phone, live_server, "trainee1", DEMO_PASSWORD)
    phone.goto(f"{live_server}/quiz/kuis-semua-tipe")
    phone.click("button[name=start]")
    # Page 1: single, multiple, true/false, ordering, matching.
    phone.check("input[name=q0][value='1']")
    phone.check("input[name=q1][value='0']")
    phone.check("input[name=q1][value='1']")
    phone.check("input[name=q2][value='false']")
    for item in range(4):
        phone.select_option(f"select[name=q3_{item}]", str(item + 1))
    for left in range(3):
        phone.select_option(f"select[name=q4_{left}]", str(left))
    assert page_width(phone) <= 360
    screenshot(phone, "quiz-page-1")
    phone.click("button[value=next]")
    # Page 2: short, numeric, essay; the drafts of page 1 were saved on the way.
    phone.fill("input[name=q5]", "  sapa 129 ")
    phone.fill("input[name=q6]", "24")
    phone.fill("textarea[name=q7]", "Saya menilai keamanan korban lalu meminta persetujuannya.")
    phone.click("button[value=submit]")
    phone.wait_for_url(re.compile(r".*/result(\?.*)?$"))
    expect(phone.locator("section.question.right")).to_have_count(7)   # the page is in
    body = phone.content()
    assert "Jawaban Anda sudah terkirim." in body
    assert "Menunggu penilaian" in body                     # the essay waits for review
    assert phone.locator("section.question.right").count() == 7
    assert "Benar, LPSK." in body and "1x24 jam." in body   # feedback and explanation
    screenshot(phone, "quiz-result")


def test_case_analysis_through_facilitator_review(live_server, browser, phone, demo):
    sign_in(phone, live_server, "trainee1", DEMO_PASSWORD)
    phone.goto(f"{live_server}/quiz/kasus-uji")
    assert phone.locator("details.case").get_attribute("open") is not None
    phone.click("button[name=start]")
    expect(phone.locator("details.case summary")).to_be_visible()  # the case stays one tap away
    phone.check("input[name=q0][value='1']")
    phone.fill("textarea[name=q1]", "Pastikan Sari aman, minta persetujuan, rujuk ke UPTD PPA.")
    phone.click("button[value=submit]")
    expect(phone.locator("body")).to_contain_text("Menunggu penilaian")
    result_url = phone.url.split("?")[0]

    facilitator = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(facilitator, live_server, "facilitator1", DEMO_PASSWORD)
    facilitator.goto(f"{live_server}/review/")
    # The demo's other trainees have essays waiting too: open Melati's.
    facilitator.locator("ul.queue li", has_text="Melati").locator("a").click()
    expect(facilitator.locator("main")).to_contain_text("Pastikan Sari aman")
    facilitator.select_option("select[name=c0]", "2")
    facilitator.select_option("select[name=c1]", "2")
    facilitator.fill("textarea[name=comment]", "Lengkap. Sebutkan juga LPSK 148.")
    facilitator.click("button[name=return_review]")
    expect(facilitator.locator("p.flash", has_text="Penilaian tersimpan.")).to_be_visible()
    expect(facilitator.locator("ul.queue li", has_text="Melati")).to_have_count(0)
    screenshot(facilitator, "facilitator-review")
    facilitator.context.close()

    phone.goto(result_url)
    body = phone.content()
    assert "100%" in body and "Lulus" in body and "Sebutkan juga LPSK 148." in body
    screenshot(phone, "case-result")
