"""The renderer's shortcuts (one reused Markdown instance, plain lines wrapped without
Markdown, a cache) must give exactly what a fresh Markdown instance gives."""
import markdown
import nh3
import pytest

from lms.config import REPO_ROOT
from lms.content import render
from lms.content.loader import load_curriculum
from lms.content.sync import sync_curriculum


def _fresh(text: str) -> str:
    return markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")


@pytest.mark.parametrize("text", [
    "Semua benar", "Ya, karena hak (pasal 28) berlaku untuk semua.", "Apa itu TPPO?",
    "- satu", "+ dua", "1. pertama", "2026 adalah tahun", "# judul", "> kutipan", "**tebal**",
    "_miring_", "a_b_c", "kata  ", "    kode", "<b>x</b>", "A & B", "[tautan](http://x.test)",
    "a\nb", "=", "*[TPPO]: Tindak Pidana", "Hak\u00a0asasi", "Déjà vu: ça va", "100% benar",
])
def test_a_plain_line_renders_as_markdown_would(text):
    assert render._to_html(text) == _fresh(text)


def test_every_shipped_text_renders_as_a_fresh_markdown_would(app, monkeypatch):
    seen = []
    original = render._to_html
    monkeypatch.setattr(render, "_to_html", lambda text: seen.append(text) or original(text))
    render.render_markdown.cache_clear()
    with app.app_context():
        sync_curriculum(load_curriculum(REPO_ROOT))
    render.render_markdown.cache_clear()
    assert len(seen) > 1000
    plain = [t for t in seen if render._PLAIN.fullmatch(t)]
    assert len(plain) > len(seen) / 2   # the shortcut is taken for most texts
    for text in seen:
        assert original(text) == _fresh(text), text


def test_footnotes_and_abbreviations_do_not_leak_into_the_next_document():
    first = render.render_markdown("Teks[^1]\n\n[^1]: Catatan\n\n*[TPPO]: Tindak Pidana Perdagangan Orang")
    assert "Catatan" in first
    second = render.render_markdown("TPPO dan [^1]")
    assert "abbr" not in second and "Catatan" not in second
    assert second == nh3.clean(_fresh("TPPO dan [^1]"), tags=render._ALLOWED_TAGS,
                               attributes=render._ALLOWED_ATTRIBUTES,
                               url_schemes={"http", "https", "mailto"},
                               link_rel="noopener noreferrer nofollow")
