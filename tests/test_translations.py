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


def _catalogue_ids() -> list[str]:
    with open(PO, "rb") as f:
        catalog = read_po(f, locale="id")
    return [m.id for m in catalog if m.id and isinstance(m.id, str)]


def test_the_request_catalogue_translates_as_flask_babel_in_each_language(app):
    """lms.core.i18n's gettext and lazy_gettext (what views, rules and labels use, looking the
    catalogue up once a request) give what Flask-Babel's give, for every message."""
    import flask
    import flask_babel

    from lms.core import i18n
    ids = _catalogue_ids()
    assert len(ids) > 300
    for lang in app.config["LMS_LANGUAGES"]:
        with app.test_request_context("/"):
            flask.session["lang"] = lang
            assert [i18n.gettext(m) for m in ids] == [flask_babel.gettext(m) for m in ids]
            assert [str(i18n.lazy_gettext(m)) for m in ids] == [str(flask_babel.lazy_gettext(m)) for m in ids]
            text = "required modules complete: %(done)d of %(total)d"
            assert i18n.gettext(text, done=3, total=5) == flask_babel.gettext(text, done=3, total=5)
    with app.test_request_context("/"):
        flask.session["lang"] = "id"
        indonesian = i18n.gettext("required modules complete: %(done)d of %(total)d", done=3, total=5)
    assert "3" in indonesian and "5" in indonesian and "required" not in indonesian
    # Outside any app (an import-time label, a script) it falls back to Flask-Babel's own.
    assert i18n.gettext("Certification") == "Certification"


def test_remembered_numbers_format_as_flask_babel_in_each_language(app):
    """lms.core.i18n's format_decimal and format_number (remembered per process) give what
    Flask-Babel's give, in each language, for the patterns the pages use."""
    from decimal import Decimal

    import flask
    import flask_babel

    from lms.core import i18n
    numbers = [0, 1, 1.0, 0.5, 79.96, 79.94, 100, 1234567.891, -0.25, Decimal("12.50"), 3]
    seen = {}
    for lang in app.config["LMS_LANGUAGES"]:
        with app.test_request_context("/"):
            flask.session["lang"] = lang
            for pattern in (None, "0.#", "0.00"):
                for n in numbers:
                    assert i18n.format_decimal(n, pattern) == flask_babel.format_decimal(n, pattern), (lang, n)
                    assert i18n.format_decimal(n, pattern) == flask_babel.format_decimal(n, pattern)  # remembered
            assert [i18n.format_number(n) for n in numbers] == [flask_babel.format_number(n) for n in numbers]
            seen[lang] = i18n.format_decimal(1234567.891)
            assert app.jinja_env.globals["format_decimal"] is i18n.format_decimal
    assert seen["id"] != seen["en"]   # the language is part of what is remembered


def test_every_module_translates_through_the_request_catalogue():
    """A module importing Flask-Babel's gettext or lazy_gettext would look the catalogue up
    again for each string (its format_decimal, format a number anew): lms.core.i18n is the one
    place that wraps them."""
    import re
    pattern = re.compile(r"from flask_babel import[^\n]*\b(gettext|lazy_gettext|format_decimal|format_number)\b")
    offenders = [str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "lms").rglob("*.py")
                 if p.name != "i18n.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
