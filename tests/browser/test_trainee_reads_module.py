"""A trainee on a phone signs in, opens a module and marks it read."""
import pytest

from lms.config import REPO_ROOT
from lms.content.loader import load_curriculum
from lms.content.sync import sync_curriculum
from lms.demo import create_demo_data
from lms.extensions import db
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_site(app):
    with app.app_context():
        curriculum = load_curriculum(REPO_ROOT)
        assert curriculum.ok, curriculum.problems[:5]
        sync_curriculum(curriculum)
        create_demo_data("paralegal-demo")
        db.session.commit()


def test_trainee_marks_a_module_read_on_a_phone(live_server, phone, demo_site):
    # trainee2: the demo's trainee1 has done everything already (see lms/certification/demo.py).
    sign_in(phone, live_server, "trainee2", "paralegal-demo")
    assert phone.url.endswith("/learn/")
    assert phone.locator("h1").inner_text() == "Belajar"
    phone.click("text=Hak Asasi Manusia")
    assert "/learn/modules/hak-asasi-manusia" in phone.url
    assert phone.locator("h2", has_text="Tujuan pembelajaran").is_visible()
    # Readable at 360 px: nothing forces sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("button[name=mark_read]")
    assert phone.locator("text=Anda sudah membaca modul ini.").is_visible()
    screenshot(phone, "trainee-module-read")
    phone.goto(f"{live_server}/learn/")
    assert "1 dari 16 modul dibaca" in phone.content()
