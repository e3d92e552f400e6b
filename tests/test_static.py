"""The stylesheet and scripts reach gzip-only phones compressed (Flask-Compress skips send_file)."""
import gzip

from lms.config import REPO_ROOT
from lms.core.static import accepts_gzip


def test_the_stylesheet_is_gzipped_for_a_client_that_accepts_only_gzip(client):
    raw = (REPO_ROOT / "static" / "site.css").read_bytes()
    response = client.get("/static/site.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert gzip.decompress(response.data) == raw
    assert len(response.data) < len(raw) / 2


def test_a_client_without_gzip_gets_the_file_as_it_is(client):
    response = client.get("/static/quick-exit.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (REPO_ROOT / "static" / "quick-exit.js").read_bytes()


def test_a_cached_copy_is_answered_not_modified(client):
    first = client.get("/static/site.css", headers={"Accept-Encoding": "gzip"})
    again = client.get("/static/site.css", headers={"Accept-Encoding": "gzip",
                                                   "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    plain = client.get("/static/site.css")
    assert plain.headers["ETag"] != first.headers["ETag"]   # a cache never mixes the two bodies


def test_missing_files_and_paths_outside_static_are_404(client):
    assert client.get("/static/none.css", headers={"Accept-Encoding": "gzip"}).status_code == 404
    assert client.get("/static/../pyproject.toml", headers={"Accept-Encoding": "gzip"}).status_code == 404


def test_accept_encoding_is_read_with_its_weights():
    assert accepts_gzip("gzip, deflate, br")
    assert accepts_gzip("br;q=1.0, gzip;q=0.8")
    assert accepts_gzip("*")
    assert not accepts_gzip("gzip;q=0, br")
    assert not accepts_gzip("br, deflate")
    assert not accepts_gzip("")
