"""Every interface string has an Indonesian translation (the default language), and the
suite compiles the catalogue itself (tests/conftest.py) when `make` has not."""
import gettext

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from lms.config import REPO_ROOT
from tests.helpers import compile_catalog

PO = REPO_ROOT / "lms/translations/id/LC_MESSAGES/messages.po"

METHODS = [("lms/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO_ROOT), METHODS, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_interface_string_is_translated_into_indonesian():
    with open(PO, "rb") as f:
        catalog = read_po(f, locale="id")
    translated = {}
    for message in catalog:
        key = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        text = message.string[0] if isinstance(message.string, (tuple, list)) else message.string
        if key:
            translated[key] = text
    sources = _source_messages()
    assert len(sources) > 300
    missing = sorted(m for m in sources if not translated.get(m))
    assert missing == [], "run `make extract-messages` and translate: " + "; ".join(missing[:10])


def test_indonesian_has_a_single_plural_form():
    text = PO.read_text()
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text


def test_the_catalogue_compiles_into_a_working_mo(tmp_path):
    mo = tmp_path / "id" / "LC_MESSAGES" / "messages.mo"
    compile_catalog(PO, mo)
    with open(mo, "rb") as f:
        compiled = gettext.GNUTranslations(f)
    assert compiled.gettext("Sign in") == "Masuk"
    assert compiled.ngettext("%(num)d question", "%(num)d questions", 2) == "%(num)d soal"


def test_the_session_compiled_the_shipped_catalogue():
    # pytest_sessionstart compiles it when it is missing or older than the .po.
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= PO.stat().st_mtime
