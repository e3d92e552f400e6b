"""The few CLDR tables the site formats numbers, dates and times with, without the rest.

Babel reads a language's whole CLDR data on its first formatted number: 2 MiB of names of
places, languages and currencies the site never shows, and before that Babel's global
data (3 MiB) for one small table. That is 5 MiB of every worker's memory, about a tenth of
a bare Flask worker. `make setup` copies the tables Babel's formatters read, for each
language the site speaks, into a small file beside the translations (`write`). A
`SlimLocale` is a Babel `Locale` that reads those tables from there, so Babel's own
formatting code runs unchanged, and anything else from Babel's full data: a format nobody
planned for is still right, only not slim. Without the file (an install that skipped
`make setup`) every locale reads Babel's full data, as before.
"""
from __future__ import annotations

import pickle  # noqa: S403 - our own file, written by `make setup` from Babel's own pickles
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from babel import Locale

TABLES_FILE = Path(__file__).resolve().parent.parent / "translations" / "cldr-tables.pickle"
LANGUAGES = ("id", "en")
# What Babel's format_decimal / format_percent / format_date / format_datetime / format_time
# read for the site's patterns (tests/test_locale_tables.py records it), and their kin that
# a new pattern may reach (eras, quarters, week data).
TABLES = ("number_symbols", "default_numbering_system", "decimal_formats", "percent_formats",
          "date_formats", "time_formats", "datetime_formats", "datetime_skeletons", "days",
          "months", "quarters", "eras", "day_periods", "day_period_rules", "week_data")


def _plain(value):
    """A table as plain dicts: Babel's `LocaleDataDict` resolves its aliases on access."""
    if isinstance(value, Mapping):
        return {key: _plain(value[key]) for key in value}
    return value


def extract(language: str) -> dict:
    full = Locale.parse(language)._data
    return {name: _plain(full[name]) for name in TABLES if name in full}


def write(path: Path | str = TABLES_FILE, languages=LANGUAGES) -> None:
    """Run by `make setup` (and again when Babel or this module changes)."""
    path = Path(path)
    tables = {language: extract(language) for language in languages}
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)


@lru_cache(maxsize=1)
def _stored() -> dict:
    try:
        return pickle.loads(TABLES_FILE.read_bytes())  # noqa: S301 - see the import
    except (OSError, pickle.UnpicklingError, EOFError):
        return {}


class _Tables(Mapping):
    """The stored tables, then Babel's full data for anything else (read when first needed)."""

    def __init__(self, locale: SlimLocale, stored: dict):
        self._locale, self._stored = locale, stored

    def __getitem__(self, key):
        if key in self._stored:
            return self._stored[key]
        return Locale._data.fget(self._locale)[key]

    def __iter__(self):
        return iter(Locale._data.fget(self._locale))

    def __len__(self):
        return len(Locale._data.fget(self._locale))


class SlimLocale(Locale):
    """A Babel `Locale` whose formatting reads the stored tables (see the module)."""

    @property
    def _data(self):
        tables = self.__dict__.get("_slim_tables")
        if tables is None:
            stored = _stored().get(str(self))
            tables = _Tables(self, stored) if stored else Locale._data.fget(self)
            self.__dict__["_slim_tables"] = tables
        return tables


@lru_cache(maxsize=16)
def slim_locale(identifier: str) -> Locale:
    """The locale for a language tag (one instance per process: it is never changed)."""
    return SlimLocale.parse(identifier)
