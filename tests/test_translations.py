"""Every interface string has an Indonesian translation (the default language)."""
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from lms.config import REPO_ROOT

METHODS = [("lms/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO_ROOT), METHODS, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_interface_string_is_translated_into_indonesian():
    with open(REPO_ROOT / "lms/translations/id/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale="id")
    translated = {}
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        text = message.string[0] if isinstance(message.string, tuple) else message.string
        if key:
            translated[key] = text
    sources = _source_messages()
    assert len(sources) > 300
    missing = sorted(m for m in sources if not translated.get(m))
    assert missing == [], "run `make extract-messages` and translate: " + "; ".join(missing[:10])


def test_indonesian_has_a_single_plural_form():
    text = (REPO_ROOT / "lms/translations/id/LC_MESSAGES/messages.po").read_text()
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
