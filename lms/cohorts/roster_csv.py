"""The file side of a roster: decoding, the delimiter, records with their lines, the header.

Messages are translated and never contain the line number (the caller shows it).
"""
from __future__ import annotations

import csv
import io
import re

from lms.accounts.person_fields import shorten
from lms.core.i18n import gettext as _

COLUMNS = ("username", "display_name", "phone", "email")
REQUIRED = ("username", "display_name")

# Headings are compared after lower-casing, trimming and turning runs of spaces, hyphens
# and underscores into one underscore, so "Display Name", "no-hp" and "E-mail" all match.
ALIASES = {
    "username": "username", "nama_pengguna": "username", "user": "username",
    "display_name": "display_name", "nama": "display_name", "name": "display_name",
    "nama_tampilan": "display_name",
    "phone": "phone", "telepon": "phone", "hp": "phone", "no_hp": "phone",
    "phone_number": "phone",
    "email": "email", "e_mail": "email",
}

ZIP_MAGIC = b"PK\x03\x04"


def detect_delimiter(header_line: str) -> str:
    """`;` if the header has more semicolons than commas, a tab if it has only tabs, else `,`."""
    semicolons, commas = header_line.count(";"), header_line.count(",")
    if semicolons > commas:
        return ";"
    if "\t" in header_line and not semicolons and not commas:
        return "\t"
    return ","


# --- decoding and splitting --------------------------------------------------------------

def save_as_hint() -> str:
    return _('save it as "CSV UTF-8" (in Excel or LibreOffice: Save as … CSV UTF-8)')


def decode(data: bytes) -> tuple[str, str | None]:
    """The text of the file, or a whole-file problem. Only UTF-8 (with or without BOM)."""
    if not data or not data.strip():
        return "", _("the file is empty")
    if data.startswith(ZIP_MAGIC):
        return "", _("this is a spreadsheet workbook (.xlsx or .ods), not a CSV file: "
                     "%(hint)s", hint=save_as_hint())
    if b"\x00" in data:
        return "", _("this is not a CSV text file (it contains NUL bytes): %(hint)s",
                     hint=save_as_hint())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", _("the file is not UTF-8 text: %(hint)s", hint=save_as_hint())
    return text, None


def split_first_line(text: str) -> tuple[str, str]:
    """The first line without its line break (CR LF, LF or CR), and the rest."""
    match = re.search(r"\r\n|\r|\n", text)
    if not match:
        return text, ""
    return text[:match.start()], text[match.end():]


def first_filled_line(text: str) -> str:
    for line in io.StringIO(text, newline=""):
        if line.strip():
            return line
    return ""


def read_records(text: str, delimiter: str, offset: int
                  ) -> tuple[list[tuple[int, list[str]]], tuple[int, str] | None]:
    """Non-blank records with the line each starts on; a read error stops the reading."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        skipinitialspace=True)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for fields in reader:
            start = previous + 1
            previous = reader.line_num
            if any(value.strip() for value in fields):
                records.append((start + offset, fields))
    except csv.Error:
        return records, (previous + 1 + offset, _(
            'the file cannot be read from this line on: probably a quote (") is not closed'))
    return records, None


# --- header ---------------------------------------------------------------------------

def _heading_key(heading: str) -> str:
    return re.sub(r"[\s_-]+", "_", heading.strip().lower()).strip("_")


def read_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> field name, and the header's problems. Trailing empty cells go."""
    while header and not header[-1].strip():
        header.pop()
    columns: dict[int, str] = {}
    first_heading: dict[str, str] = {}
    problems: list[str] = []
    allowed = ", ".join(COLUMNS)
    for index, heading in enumerate(header):
        shown = heading.strip()
        if not shown:
            problems.append(_("column %(number)d has no heading", number=index + 1))
            continue
        name = ALIASES.get(_heading_key(shown))
        if name is None:
            problems.append(_('unknown column "%(column)s": the allowed columns are %(allowed)s',
                              column=shorten(shown), allowed=allowed))
            continue
        if name in first_heading:
            if first_heading[name].lower() == shown.lower():
                problems.append(_('column "%(column)s" appears twice', column=shorten(shown)))
            else:
                problems.append(_('columns "%(first)s" and "%(second)s" both mean "%(column)s": '
                                  'keep only one', first=shorten(first_heading[name]),
                                  second=shorten(shown),
                                  column=name))
            continue
        first_heading[name] = shown
        columns[index] = name
    for name in REQUIRED:
        if name not in first_heading:
            problems.append(_('the header row has no "%(column)s" column (the allowed columns '
                              'are %(allowed)s)', column=name, allowed=allowed))
    return columns, problems
