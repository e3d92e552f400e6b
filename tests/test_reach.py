"""Reach on slow and absent connections: the stylesheet inline under the CSP, saving a track
for offline reading, quiz pages that keep typed answers, printable tracks, static bundles."""
import base64
import gzip
import hashlib
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import urljoin

from flask import Flask

from lms.accounts.models import Role
from lms.core import security
from lms.learning.offline import estimated_page_bytes
from tests.conftest import REPO_ROOT

STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _csp_hashes(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src"))
    return re.findall(r"'sha256-([^']+)'", style_src)


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def test_the_inline_stylesheet_is_allowed_by_its_hash_and_nothing_else_inline(client, auth, make_user, synced):
    make_user("trainee1")
    pages = [client.get("/login")]
    auth.login()
    pages += [client.get(path) for path in ("/learn/", "/learn/modules/modul-1", "/learn/tracks/dasar/offline")]
    for response in pages:
        path = response.request.path
        html = response.get_data(as_text=True)
        policy = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        styles = STYLE.findall(html)
        assert len(styles) == 1, path
        # The hash is of the text the browser receives, so the two can never drift apart.
        assert _csp_hashes(response) == [_sha256(styles[0])], path
        assert styles[0] == (REPO_ROOT / "static" / "site.css").read_text(encoding="utf-8")
        assert 'rel="stylesheet"' not in html          # nothing blocks the first paint
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path   # no inline script
        assert ' style="' not in html


def test_a_changed_stylesheet_gets_its_own_hash(tmp_path):
    """A stylesheet edited by anyone keeps working: the policy follows the file at start-up."""
    css = "body{color:#123}\n.x>.y{margin:0}\n"
    (tmp_path / "site.css").write_text(css, encoding="utf-8")
    app = Flask(__name__, static_folder=str(tmp_path))
    app.config["LMS_ENV"] = "development"
    security.init_app(app)
    assert f"'sha256-{_sha256(css)}'" in app.config["LMS_CSP"]
    assert str(app.jinja_env.globals["inline_css"]) == css   # served unescaped, byte for byte

    @app.get("/")
    def page():
        from flask import render_template_string
        return render_template_string("<style>{{ inline_css }}</style>")
    response = app.test_client().get("/")
    assert _csp_hashes(response) == [_sha256(STYLE.findall(response.get_data(as_text=True))[0])]


def test_a_module_page_fits_the_first_round_trips(client, auth, make_user):
    """The critical path (the HTML with its stylesheet) under 14 KB gzipped, for the longest
    shipped module: TCP's first flights carry it whole."""
    from lms.content.loader import load_curriculum
    from lms.content.sync import sync_curriculum
    from lms.extensions import db
    curriculum = load_curriculum(REPO_ROOT)
    with client.application.app_context():
        sync_curriculum(curriculum)
        db.session.commit()
    make_user("trainee1")
    auth.login()
    longest = max(curriculum.modules.values(), key=lambda m: len(m.body)).slug
    response = client.get(f"/learn/modules/{longest}", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(response.get_data()) < 14 * 1024
    html = gzip.decompress(response.get_data()).decode()
    assert not re.search(r'<link rel="stylesheet"', html)


def test_the_offline_page_lists_modules_with_what_saving_costs(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    html = client.get("/learn/tracks/dasar/offline").get_data(as_text=True)
    assert "Simpan untuk dibaca offline" in html
    urls = re.findall(r'<li data-url="([^"]+)"', html)
    assert urls == ["/learn/modules/modul-1", "/learn/modules/modul-2", "/learn/modules/modul-3"]
    sizes = [int(n) for n in re.findall(r'<span class="muted">(\d+) KB</span>', html)]
    assert len(sizes) == 3 and all(n > 0 for n in sizes)
    assert re.search(r"Menyimpan semua 3 modul memakai sekitar \d+ KB kuota data", html)
    assert 'src="/static/offline.js?v=' in html
    # The button needs JavaScript: hidden until the script shows it; the list works without.
    assert re.search(r'<div class="actions" id="offline-actions" hidden>', html)
    assert "/learn/" in client.get("/learn/").get_data(as_text=True)
    assert 'href="/learn/tracks/dasar/offline"' in client.get("/learn/").get_data(as_text=True)


def test_the_size_estimate_is_close_to_the_real_page(app, client, auth, make_user):
    """What the offline page promises is what the phone downloads, within a quarter."""
    from lms.content.loader import load_curriculum
    from lms.content.sync import sync_curriculum
    from lms.extensions import db
    from lms.learning.models import Module
    curriculum = load_curriculum(REPO_ROOT)
    with app.app_context():
        sync_curriculum(curriculum)
        db.session.commit()
        modules = db.session.query(Module).filter_by(track_slug="paralegal").all()
        css = app.jinja_env.globals["inline_css"]
        estimates = {m.slug: estimated_page_bytes(m.body_html, m.objectives, css) for m in modules}
    make_user("trainee1")
    auth.login()
    assert len(estimates) > 5
    for slug, estimate in estimates.items():
        real = len(client.get(f"/learn/modules/{slug}", headers={"Accept-Encoding": "gzip"}).get_data())
        assert abs(estimate - real) <= real / 4, (slug, estimate, real)


def test_an_unknown_track_has_no_offline_or_print_page(client, auth, make_user, synced):
    make_user("fac", role=Role.FACILITATOR)
    auth.login("fac")
    assert client.get("/learn/tracks/tidak-ada/offline").status_code == 404
    assert client.get("/learn/tracks/tidak-ada/print").status_code == 404


def test_the_service_worker_is_served_from_the_root_and_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.get_data()


def test_signing_out_clears_what_the_phone_kept(client, auth, make_user):
    make_user("trainee1")
    auth.login()
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"storage"'


def test_quiz_pages_carry_the_offline_notice_hidden_until_needed(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    landing = client.get("/quiz/kuis-modul-1").get_data(as_text=True)
    start = client.post("/quiz/kuis-modul-1/start", data={"csrf_token": re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', landing).group(1)})
    html = client.get(start.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<p class="flash offline-note" id="offline-note" role="alert" hidden>Anda sedang offline', html)
    assert 'src="/static/quiz-offline.js?v=' in html


def test_the_print_page_holds_every_module_of_the_track(client, auth, make_user, synced):
    make_user("fac", role=Role.FACILITATOR)
    auth.login("fac")
    html = client.get("/learn/tracks/dasar/print").get_data(as_text=True)
    articles = re.findall(r'<article class="module-text">(.*?)</article>', html, re.S)
    assert len(articles) == 3
    assert "Modul Uji 1" in articles[0] and "<strong>teks tebal</strong>" in articles[0]
    assert "http://localhost/learn/modules/modul-1" in articles[0]   # where it lives online
    assert "Modul Uji 3" in articles[2]
    assert "<script>alert(1)" not in html


def test_every_module_page_names_its_url_for_print(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    html = client.get("/learn/modules/modul-2").get_data(as_text=True)
    assert '<p class="print-only url">http://localhost/learn/modules/modul-2</p>' in html


def test_content_bundle_is_a_static_copy_with_relative_links(app, synced, tmp_path):
    out = tmp_path / "dasar.zip"
    result = app.test_cli_runner().invoke(args=["content", "bundle", "dasar", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 modules" in result.output
    archive = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    names = set(archive.namelist())
    assert names == {"index.html", "site.css", "01-modul-1.html", "02-modul-2.html", "03-modul-3.html"}
    assert archive.read("site.css") == (REPO_ROOT / "static" / "site.css").read_bytes()
    for name in names - {"site.css"}:
        html = archive.read(name).decode()
        assert "<script" not in html.lower(), name
        assert "/static" not in html, name
        for link in re.findall(r'(?:href|src)="([^"]+)"', html):
            if link.startswith(("http://", "https://", "mailto:", "#")):
                continue
            target = urljoin(name, link.split("#")[0])
            assert target in names, f"{name} links to {link}, not in the bundle"
    index = archive.read("index.html").decode()
    assert index.index("01-modul-1.html") < index.index("02-modul-2.html") < index.index("03-modul-3.html")
    page = archive.read("02-modul-2.html").decode()
    assert 'href="01-modul-1.html"' in page and 'href="03-modul-3.html"' in page
    assert "Modul Uji 2" in page


def test_content_bundle_of_an_unknown_track_fails(app, synced, tmp_path):
    result = app.test_cli_runner().invoke(args=["content", "bundle", "tidak-ada", "--out",
                                                str(tmp_path / "x.zip")])
    assert result.exit_code != 0
    assert "tidak-ada" in result.output
    assert not Path(tmp_path / "x.zip").exists()


def test_content_bundle_makes_its_folder_and_names_a_write_it_cannot_do(app, synced, tmp_path):
    nested = tmp_path / "usb" / "pelatihan" / "dasar.zip"
    result = app.test_cli_runner().invoke(args=["content", "bundle", "dasar", "--out", str(nested)])
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(nested).namelist()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    result = app.test_cli_runner().invoke(args=["content", "bundle", "dasar", "--out", str(blocked / "x.zip")])
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output
    assert set(tmp_path.iterdir()) == {tmp_path / "usb", blocked}
