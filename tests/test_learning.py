"""The trainee's path: tracks, modules, marking read, per-user progress."""
import sqlalchemy as sa

from lms.content.loader import load_curriculum
from lms.content.sync import sync_curriculum
from lms.extensions import db
from lms.learning.models import ModuleProgress
from tests.conftest import FIXTURE_CONTENT, csrf_token


def _mark_read(client, slug):
    page = client.get(f"/learn/modules/{slug}")
    return client.post(f"/learn/modules/{slug}/read",
                       data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_module_page_shows_what_a_trainee_needs(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    html = client.get("/learn/modules/modul-1").get_data(as_text=True)
    assert "Modul Uji 1" in html
    assert "Memahami bagian 1" in html          # objectives
    assert "60 menit" in html                    # duration, in Indonesian
    assert "Presentasi" in html and "Diskusi kelompok" in html   # methods
    assert "<strong>teks tebal</strong>" in html  # rendered Markdown
    assert "<script>alert(1)" not in html         # sanitised
    assert "Tandai sudah dibaca" in html


def test_marking_read_is_per_user_and_idempotent(app, client, auth, make_user, synced):
    make_user("trainee1")
    make_user("trainee2")
    auth.login()
    assert _mark_read(client, "modul-1").status_code == 302
    assert _mark_read(client, "modul-1").status_code == 302
    html = client.get("/learn/").get_data(as_text=True)
    assert "1 dari 3 modul dibaca" in html
    # The module page says so, and for modul-2 it offers the button instead.
    page = client.get("/learn/modules/modul-1").get_data(as_text=True)
    assert 'name="mark_read"' not in page and page.count("Sudah dibaca") == 1
    assert 'name="mark_read"' in client.get("/learn/modules/modul-2").get_data(as_text=True)
    auth.logout()
    auth.login("trainee2")
    assert "0 dari 3 modul dibaca" in client.get("/learn/").get_data(as_text=True)
    page = client.get("/learn/modules/modul-1").get_data(as_text=True)   # someone else's reading
    assert 'name="mark_read"' in page and "Sudah dibaca" not in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ModuleProgress)) == 1


def test_progress_survives_a_resync(app, client, auth, make_user, synced, tmp_path):
    make_user("trainee1")
    auth.login()
    _mark_read(client, "modul-2")
    with app.app_context():
        sync_curriculum(load_curriculum(FIXTURE_CONTENT))
        db.session.commit()
    assert "1 dari 3 modul dibaca" in client.get("/learn/").get_data(as_text=True)


def test_unknown_module_is_404(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    assert client.get("/learn/modules/tidak-ada").status_code == 404
    assert _mark_read(client, "modul-1").status_code == 302
    page = client.get("/learn/modules/modul-1")
    token = csrf_token(page.get_data(as_text=True))
    assert client.post("/learn/modules/tidak-ada/read", data={"csrf_token": token}).status_code == 404


def test_role_play_secrets_are_for_staff_only(app, client, auth, make_user, synced):
    from lms.accounts.models import Role
    make_user("trainee1")
    make_user("facil1", role=Role.FACILITATOR)
    auth.login()
    html = client.get("/learn/roleplays/rp-uji".replace("/learn", "")).get_data(as_text=True)
    assert "Menelepon hotline." in html and "Seseorang menelepon hotline." in html
    assert "Pasangan ikut mendengar." not in html and "Menjelaskan kerahasiaan" not in html
    auth.logout()
    auth.login("facil1")
    html = client.get("/roleplays/rp-uji").get_data(as_text=True)
    assert "Pasangan ikut mendengar." in html and "Menjelaskan kerahasiaan" in html
    assert "Apa yang dirasakan penelepon?" in html


def test_after_marking_read_the_reader_lands_on_the_next_step(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    response = _mark_read(client, "modul-1")
    assert response.headers["Location"].endswith("/learn/modules/modul-1#next-step")
    html = client.get("/learn/modules/modul-1").get_data(as_text=True)
    assert 'id="next-step"' in html and "Berikutnya: kuis modul" in html
    # Activities are named by their titles, never their slugs.
    assert ">Kuis modul: Kuis Modul 1<" in html.replace("</a>", "<") or "Kuis Modul 1" in html
    assert "kuis-modul-1</a>" not in html
    _mark_read(client, "modul-2")
    html = client.get("/learn/modules/modul-2").get_data(as_text=True)
    assert "Berikutnya: Modul Uji 3" in html and "kasus-uji</a>" not in html


def test_home_leads_a_cohort_trainee_to_the_next_module_with_states(app, client, synced):
    from tests.factories import world
    from tests.test_cohorts import sign_in
    world(app)
    sign_in(client, "trainee-a1")
    html = client.get("/learn/").get_data(as_text=True)
    assert "Lanjutkan: Modul 1" in html and "belum mulai" in html
    _mark_read(client, "modul-1")
    html = client.get("/learn/").get_data(as_text=True)
    assert "sedang berjalan" in html  # read, quiz not passed yet: in progress


def test_a_module_links_to_its_neighbours_in_the_track(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    pager = {slug: client.get(f"/learn/modules/{slug}").get_data(as_text=True).split('<nav class="pager">')[1]
             for slug in ("modul-1", "modul-2", "modul-3")}
    assert 'rel="prev"' not in pager["modul-1"]
    assert '<a href="/learn/modules/modul-2" rel="next">Modul Uji 2 ›</a>' in pager["modul-1"]
    assert '<a href="/learn/modules/modul-1" rel="prev">‹ Modul Uji 1</a>' in pager["modul-2"]
    assert '<a href="/learn/modules/modul-3" rel="next">Modul Uji 3 ›</a>' in pager["modul-2"]
    assert '<a href="/learn/modules/modul-2" rel="prev">‹ Modul Uji 2</a>' in pager["modul-3"]
    assert 'rel="next"' not in pager["modul-3"]
