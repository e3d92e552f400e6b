"""A coordinator runs a cohort: create, import 30 trainees, print codes; a trainee activates
on a phone and sends an RTL; a facilitator takes attendance and approves it; the matrix shows it."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_coordinator_trainee_and_facilitator_run_a_cohort(live_server, browser, phone, demo, tmp_path):
    roster = tmp_path / "angkatan-baru.csv"
    roster.write_text("username;display_name;phone;email\n" +
                      "".join(f"peserta{i:02d};Peserta {i:02d};;\n" for i in range(1, 31)),
                      encoding="utf-8-sig")
    coordinator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(coordinator, live_server, "coordinator1", DEMO_PASSWORD)

    coordinator.goto(f"{live_server}/cohorts/new")
    coordinator.fill("input[name=name]", "Angkatan Uji Peramban")
    coordinator.select_option("select[name=track_slug]", "dasar")
    coordinator.check("text=Fasilitator Satu")
    coordinator.click("button.primary")
    cohort_url = coordinator.url
    cohort_id = int(re.search(r"/cohorts/(\d+)$", cohort_url).group(1))
    assert "Angkatan Uji Peramban" in coordinator.content()

    coordinator.click("text=Impor CSV")
    coordinator.set_input_files("input[name=roster]", str(roster))
    coordinator.click("button.primary")
    expect(coordinator.locator("body")).to_contain_text("30 baris siap diimpor.")
    coordinator.click("button[name=confirm_import]")
    # The slips come right after the import.
    expect(coordinator.locator("section.slip")).to_have_count(30)
    coordinator.goto(cohort_url)
    assert coordinator.locator("table.matrix tbody tr").count() == 30

    # Everyone holds a working code now: new slips are made only after a confirmation.
    coordinator.click("button[name=print_codes]")
    expect(coordinator.locator("button[name=confirm_codes]")).to_be_visible()
    assert coordinator.locator("section.slip").count() == 0
    coordinator.click("button[name=confirm_codes]")
    expect(coordinator.locator("section.slip")).to_have_count(30)
    screenshot(coordinator, "activation-slips")
    slip = coordinator.locator("section.slip", has_text="peserta01")
    code = slip.locator("code.code").inner_text()

    # The trainee activates on a phone and sends an RTL.
    phone.goto(f"{live_server}/login")
    phone.click("text=Saya punya kode aktivasi")
    phone.fill("input[name=username]", "peserta01")
    phone.fill("input[name=code]", code)
    phone.fill("input[name=password]", "sandi-peserta-01")
    phone.fill("input[name=confirm]", "sandi-peserta-01")
    phone.click("button.primary")
    assert phone.url.endswith("/learn/")
    expect(phone.locator("body")).to_contain_text("Kata sandi Anda sudah dibuat")
    screenshot(phone, "trainee-activated")
    phone.click("text=RTL")
    phone.fill("textarea[name=activities]", "Sosialisasi hotline di dua kampung")
    phone.fill("textarea[name=target]", "40 anggota komunitas")
    phone.fill("textarea[name=timeline]", "Januari sampai Maret")
    phone.click("button[value=submit]")
    expect(phone.locator("body")).to_contain_text("menunggu persetujuan")

    # The facilitator takes attendance on a phone and approves the RTL.
    facilitator = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(facilitator, live_server, "facilitator1", DEMO_PASSWORD)
    facilitator.goto(f"{live_server}/cohorts/{cohort_id}/sessions/new")
    facilitator.fill("input[name=held_on]", "2026-11-20")
    facilitator.fill("input[name=topic]", "Hak Asasi Manusia")
    facilitator.click("button.primary")
    facilitator.locator("fieldset.person", has_text="Peserta 01").locator("label.seg-present").click()
    facilitator.locator("fieldset.person", has_text="Peserta 02").locator("label.seg-absent").click()
    screenshot(facilitator, "attendance")
    facilitator.click("button[name=save_attendance]")
    expect(facilitator.locator("body")).to_contain_text("Kehadiran tersimpan untuk 2 peserta")
    facilitator.goto(f"{live_server}/cohorts/{cohort_id}")
    facilitator.locator("tr", has_text="Peserta 01").locator("text=menunggu persetujuan").click()
    facilitator.click("button[value=approve]")
    expect(facilitator.locator("body")).to_contain_text("RTL disetujui.")

    coordinator.goto(cohort_url)
    row = coordinator.locator("tr", has_text="Peserta 01")
    assert "disetujui" in row.inner_text() and "100%" in row.inner_text()
    assert "0%" in coordinator.locator("tr", has_text="Peserta 02").inner_text()
    screenshot(coordinator, "cohort-matrix")
