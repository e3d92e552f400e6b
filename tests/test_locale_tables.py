"""The slim locale (lms.core.locale_tables): Babel's own formatters over the few CLDR tables
the site uses, the same text as Babel's full data gives, without reading that data."""
import pickle  # noqa: S403 - the tables file the app itself reads
from datetime import date, datetime, time, timezone
from decimal import Decimal

import pytest
import pytz
from babel import Locale, dates, numbers
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.core import locale_tables
from lms.core.locale_tables import LANGUAGES, SlimLocale, extract, slim_locale

JAKARTA = pytz.timezone("Asia/Jakarta")
# Every pattern the templates and views format with (grep format_ in templates/ and lms/).
NUMBER_PATTERNS = (None, "0.00", "0.#", "#,##0")
DATE_FORMATS = ("medium", "long", "short", "full")
DATETIME_FORMATS = ("short", "medium", "HH:mm", "long", "full")


def _texts(locale, number, moment: datetime) -> list[str]:
    texts = [numbers.format_decimal(number, format=p, locale=locale) for p in NUMBER_PATTERNS]
    texts.append(numbers.format_percent(number, locale=locale))
    texts += [dates.format_date(moment.date(), f, locale=locale) for f in DATE_FORMATS]
    texts += [dates.format_datetime(moment, f, tzinfo=JAKARTA, locale=locale) for f in DATETIME_FORMATS]
    texts.append(dates.format_time(moment.time(), "short", locale=locale))
    return texts


def test_the_stored_tables_are_babels_own():
    stored = locale_tables._stored()
    assert set(LANGUAGES) <= set(stored), "run `make setup`: lms/translations/cldr-tables.pickle is missing"
    for language in LANGUAGES:
        # Babel's patterns have no ==; the same tables pickle to the same bytes.
        assert pickle.dumps(stored[language]) == pickle.dumps(extract(language)), \
            f"the stored tables for {language!r} are not the installed Babel's: run `make setup`"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("number", [0, 1, 7, -3, 12.5, 0.125, 1234, 1234567.891, Decimal("0.5"), Decimal("99.95")])
def test_slim_and_full_locales_format_alike(language, number):
    moment = datetime(2026, 12, 6, 21, 5, 9, tzinfo=timezone.utc)
    assert _texts(SlimLocale.parse(language), number, moment) == _texts(Locale.parse(language), number, moment)


@settings(max_examples=60, deadline=None)
@given(number=st.decimals(min_value=-10**7, max_value=10**7, places=3, allow_nan=False),
       moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
       language=st.sampled_from(LANGUAGES))
def test_slim_and_full_locales_format_any_number_and_moment_alike(number, moment, language):
    moment = moment.replace(tzinfo=timezone.utc)
    assert _texts(SlimLocale.parse(language), number, moment) == _texts(Locale.parse(language), number, moment)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sites_formats_never_read_babels_full_data(language):
    locale = SlimLocale.parse(language)
    moment = datetime(2026, 12, 6, 21, 5, tzinfo=timezone.utc)
    for number in (3, 12.5, Decimal("0.75")):
        numbers.format_decimal(number, format="0.#", locale=locale)
        numbers.format_percent(number, locale=locale)
    dates.format_date(moment.date(), "long", locale=locale)
    dates.format_date(date(2026, 1, 2), "medium", locale=locale)
    dates.format_datetime(moment, "short", tzinfo=JAKARTA, locale=locale)
    dates.format_datetime(moment, "HH:mm", tzinfo=JAKARTA, locale=locale)
    dates.format_time(time(9, 30), "short", locale=locale)
    assert locale._Locale__data is None   # Babel's private cache of the full data, never filled


def test_a_format_beyond_the_tables_reads_babels_full_data():
    locale = SlimLocale.parse("id")
    assert locale.territories["ID"] == Locale.parse("id").territories["ID"] == "Indonesia"
    assert locale.currency_symbols["IDR"] == "Rp"


def test_without_the_stored_tables_a_slim_locale_is_babels_full_one(monkeypatch):
    monkeypatch.setattr(locale_tables, "_stored", lambda: {})
    locale = SlimLocale.parse("id")
    assert numbers.format_decimal(1234.5, locale=locale) == "1.234,5"
    assert dates.format_date(date(2026, 12, 6), "long", locale=locale) == "6 Desember 2026"
    assert locale._Locale__data is not None


def test_the_stored_tables_are_written_whole(tmp_path):
    target = tmp_path / "tables.pickle"
    locale_tables.write(target, ("id",))
    assert target.exists() and not (tmp_path / "tables.pickle.partial").exists()
    assert target.stat().st_size < 64 * 1024   # a few tables, not the language's whole CLDR data


def test_requests_format_through_the_slim_locale(app):
    from flask_babel import format_date, format_percent, get_locale

    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        locale = get_locale()
        assert isinstance(locale, SlimLocale) and str(locale) == "en"
        assert format_date(date(2026, 12, 6), "long") == "December 6, 2026"
        assert format_percent(0.5) == "50%"
        assert locale is slim_locale("en") and locale._Locale__data is None
    with app.test_request_context("/"):
        assert str(get_locale()) == "id"
        assert format_date(date(2026, 12, 6), "long") == "6 Desember 2026"
