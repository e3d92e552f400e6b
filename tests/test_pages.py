"""Pages: weight, query counts, headers, health, language switch."""
import textwrap

import pytest

from lms.content.loader import load_curriculum
from lms.content.sync import sync_curriculum
from lms.extensions import db
from tests.conftest import csrf_token
from tests.helpers import compressed_page_weight, count_queries

BUDGET = 30 * 1024


def _content_tree(root, modules: int):
    (root / "modules").mkdir(parents=True)
    (root / "quizzes").mkdir()
    (root / "roleplays").mkdir()
    (root / "modules" / "tracks.yaml").write_text("- slug: t\n  title: T\n")
    for i in range(1, modules + 1):
        (root / "modules" / f"m{i}.md").write_text(textwrap.dedent(f"""\
            ---
            slug: m{i}
            title: Modul {i}
            track: t
            order: {i}
            objectives: ["Tujuan {i}"]
            ---
            Isi modul {i}.
            """))
    return root


@pytest.mark.parametrize("path", ["/learn/", "/learn/modules/m1"])
def test_trainee_page_queries_do_not_grow_with_modules(app, client, auth, make_user, tmp_path, path):
    make_user("trainee1")
    auth.login()
    counts = []
    for size in (3, 30):
        with app.app_context():
            curriculum = load_curriculum(_content_tree(tmp_path / f"c{size}", size))
            assert curriculum.ok, curriculum.problems
            sync_curriculum(curriculum)
            db.session.commit()
        with count_queries(app) as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 6


def test_responses_are_compressed(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("path", ["/login"])
def test_anonymous_pages_are_light(client, path):
    assert compressed_page_weight(client, path) < BUDGET


def test_trainee_pages_are_light(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    for path in ("/learn/", "/learn/modules/modul-1"):
        assert compressed_page_weight(client, path) < BUDGET


def test_security_headers(client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_use_no_javascript(client):
    html = client.get("/login").get_data(as_text=True)
    assert "<script" not in html


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_interface_is_indonesian_by_default_and_switches_to_english(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in html and "Masuk" in html and "Kata sandi" in html
    token = csrf_token(html)
    response = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in" in html and "Password" in html


def test_language_switch_ignores_unknown_language_and_foreign_next(client):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example",
                                              "csrf_token": token})
    assert response.headers["Location"] == "/"
    assert '<html lang="id">' in client.get("/login").get_data(as_text=True)


def test_english_choice_is_remembered_on_the_account(app, client, auth, make_user, synced):
    from lms.accounts.models import User
    make_user("trainee1")
    auth.login()
    token = csrf_token(client.get("/learn/").get_data(as_text=True))
    client.post("/language", data={"lang": "en", "csrf_token": token})
    with app.app_context():
        assert db.session.query(User).filter_by(username="trainee1").one().locale == "en"
    assert "My learning" in client.get("/learn/").get_data(as_text=True)


def test_404_page_is_translated(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404 and "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_quiz_and_practice_pages_are_light(app, client, auth, make_user, synced):
    from tests.factories import make_cohort, make_org
    from tests.test_attempts import ALL_RIGHT, take
    user = make_user("trainee1")
    with app.app_context():
        make_cohort(make_org(), trainees=[db.session.get(type(user), user.id)])
        db.session.commit()
    auth.login()
    aid = take(client, ALL_RIGHT)
    for path in ("/quiz/kuis-semua-tipe", f"/quiz/attempts/{aid}/result", "/quiz/kasus-uji",
                 "/cohorts/1/rtl", "/cohorts/1/practice", "/activate"):
        assert compressed_page_weight(client, path) < BUDGET, path


def test_the_longest_shipped_module_is_light(app, client, auth, make_user):
    from lms.config import REPO_ROOT
    curriculum = load_curriculum(REPO_ROOT)
    with app.app_context():
        sync_curriculum(curriculum)
        db.session.commit()
    longest = max(curriculum.modules.values(), key=lambda m: len(m.body))
    make_user("trainee1")
    auth.login()
    assert compressed_page_weight(client, f"/learn/modules/{longest.slug}") < BUDGET
    assert compressed_page_weight(client, "/learn/") < BUDGET


def test_lang_query_parameter_switches_language(client):
    assert "Sign in" in client.get("/login?lang=en").get_data(as_text=True)
    assert "Sign in" in client.get("/login").get_data(as_text=True)       # remembered
    assert "Masuk" in client.get("/login?lang=id").get_data(as_text=True)


def test_static_urls_carry_their_hash_and_are_cached_long(client):
    """The stylesheet is inline (tests/test_reach.py); the icon and scripts stay cached files."""
    import re
    html = client.get("/login").get_data(as_text=True)
    href = re.search(r'href="(/static/favicon\.svg\?v=[0-9a-f]{10})"', html).group(1)
    response = client.get(href)
    assert response.status_code == 200 and "max-age=31536000" in response.headers["Cache-Control"]


def test_every_signed_in_page_has_a_quick_exit_that_works_without_javascript(app, client, auth, make_user, synced):
    import re
    make_user("trainee1")
    auth.login()
    for path in ("/learn/", "/learn/modules/modul-1", "/quiz/kuis-modul-1", "/account/sessions"):
        html = client.get(path).get_data(as_text=True)
        link = re.search(r'<a class="quick-exit" href="([^"]+)"', html)
        assert link and link.group(1) == app.config["LMS_QUICK_EXIT_URL"], path
        assert "Keluar cepat" in html
    script = client.get("/static/quick-exit.js").get_data(as_text=True)
    assert "location.replace" in script  # JavaScript also drops the page from the history
