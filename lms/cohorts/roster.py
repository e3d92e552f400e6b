"""Reading a roster CSV that a coordinator uploads to enrol trainees.

Pure: bytes in, a preview out. Nothing touches the database except the one optional
`existing_usernames` callback, which the caller answers with a single query. Every problem
is named (already translated) so the preview can show it next to its line; the caller
imports nothing unless `RosterPreview.ok`.

Messages never contain the line number: the preview shows it in its own column and the
CLI prints "file:line: message".
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _

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

USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
PHONE_RE = re.compile(r"\+?[0-9 ().-]+")
# What Excel makes of a long number in a column not formatted as text: 6.28123E+11.
SCIENTIFIC_RE = re.compile(r"\+?\d+(?:[.,]\d+)?[eE]\+?\d+")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
DISPLAY_NAME_MAX = 120
EMAIL_MAX = 254
PHONE_DIGITS = (8, 15)
SHOWN_VALUE_MAX = 40
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RosterRow:
    line: int            # 1-based line in the file (header is line 1)
    username: str        # normalised: stripped, lower-case
    display_name: str    # stripped, inner whitespace collapsed
    phone: str | None    # stripped; None when empty
    email: str | None    # stripped, lower-case; None when empty
    problems: tuple[str, ...] = ()   # messages for this row (already translated)


@dataclass
class RosterPreview:
    rows: list[RosterRow]
    problems: list[tuple[int, str]]   # whole-file and row problems, sorted by line
    delimiter: str                    # "," or ";" (or "\t")

    @property
    def ok(self) -> bool:
        """Importable: not a single problem and at least one trainee."""
        return not self.problems and bool(self.rows)


def parse_roster(data: bytes, existing_usernames: Callable[[set[str]], set[str]] | None = None,
                 max_rows: int = 5000) -> RosterPreview:
    """Decode, split and check an uploaded roster; never raises on bad input.

    Messages come in the person's language in a request, and in the app's default language
    in a bare app context such as the CLI (see `lms.core.i18n.select_locale`).
    """
    text, problem = _decode(data)
    if problem:
        return RosterPreview(rows=[], problems=[(1, problem)], delimiter=",")

    offset = 0
    delimiter = None
    first_line, rest = _split_first_line(text)
    sep_hint = re.fullmatch(r"(?i)sep=([,;\t])", first_line.strip(" "))
    if sep_hint:  # Excel's "sep=;" hint line: it names the separator and is not a row
        delimiter = sep_hint.group(1)
        text = rest
        offset = 1
    if not text.strip():
        return RosterPreview(rows=[], problems=[(1, _("the file is empty"))],
                             delimiter=delimiter or ",")
    delimiter = delimiter or detect_delimiter(_first_filled_line(text))

    records, read_problem = _read_records(text, delimiter, offset)
    file_problems: list[tuple[int, str]] = []
    if read_problem:
        file_problems.append(read_problem)
    if not records:
        if not read_problem:
            file_problems.append((1, _("the file is empty")))
        return _preview([], file_problems, delimiter)

    header_line, header = records[0]
    data_records = records[1:]
    columns, header_problems = _read_header(header)
    file_problems.extend((header_line, message) for message in header_problems)
    if any(name not in columns.values() for name in REQUIRED):
        return _preview([], file_problems, delimiter)
    if len(data_records) > max_rows:
        file_problems.append((1, _(
            "the file has %(count)d trainees; at most %(max)d can be enrolled at once: "
            "split it into smaller files", count=len(data_records), max=max_rows)))
        return _preview([], file_problems, delimiter)
    if not data_records:
        if not read_problem:
            file_problems.append((header_line, _("there are no trainees in the file: add one "
                                                 "row per trainee below the header row")))
        return _preview([], file_problems, delimiter)

    expected = len(header)
    drafts = [_check_row(line, fields, columns, expected, delimiter)
              for line, fields in data_records]
    _check_duplicates(drafts)
    _check_taken(drafts, existing_usernames)

    rows = [RosterRow(line=d.line, username=d.username, display_name=d.display_name,
                      phone=d.phone, email=d.email, problems=tuple(d.problems))
            for d in drafts]
    return _preview(rows, file_problems, delimiter)


def detect_delimiter(header_line: str) -> str:
    """`;` if the header has more semicolons than commas, a tab if it has only tabs, else `,`."""
    semicolons, commas = header_line.count(";"), header_line.count(",")
    if semicolons > commas:
        return ";"
    if "\t" in header_line and not semicolons and not commas:
        return "\t"
    return ","


# --- decoding and splitting --------------------------------------------------------------

def _save_as_hint() -> str:
    return _('save it as "CSV UTF-8" (in Excel or LibreOffice: Save as … CSV UTF-8)')


def _decode(data: bytes) -> tuple[str, str | None]:
    """The text of the file, or a whole-file problem. Only UTF-8 (with or without BOM)."""
    if not data or not data.strip():
        return "", _("the file is empty")
    if data.startswith(ZIP_MAGIC):
        return "", _("this is a spreadsheet workbook (.xlsx or .ods), not a CSV file: "
                     "%(hint)s", hint=_save_as_hint())
    if b"\x00" in data:
        return "", _("this is not a CSV text file (it contains NUL bytes): %(hint)s",
                     hint=_save_as_hint())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", _("the file is not UTF-8 text: %(hint)s", hint=_save_as_hint())
    return text, None


def _split_first_line(text: str) -> tuple[str, str]:
    """The first line without its line break (CR LF, LF or CR), and the rest."""
    match = re.search(r"\r\n|\r|\n", text)
    if not match:
        return text, ""
    return text[:match.start()], text[match.end():]


def _first_filled_line(text: str) -> str:
    for line in io.StringIO(text, newline=""):
        if line.strip():
            return line
    return ""


def _read_records(text: str, delimiter: str, offset: int
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


def _read_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
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
                              column=_shorten(shown), allowed=allowed))
            continue
        if name in first_heading:
            if first_heading[name].lower() == shown.lower():
                problems.append(_('column "%(column)s" appears twice', column=_shorten(shown)))
            else:
                problems.append(_('columns "%(first)s" and "%(second)s" both mean "%(column)s": '
                                  'keep only one', first=_shorten(first_heading[name]),
                                  second=_shorten(shown),
                                  column=name))
            continue
        first_heading[name] = shown
        columns[index] = name
    for name in REQUIRED:
        if name not in first_heading:
            problems.append(_('the header row has no "%(column)s" column (the allowed columns '
                              'are %(allowed)s)', column=name, allowed=allowed))
    return columns, problems


# --- rows -------------------------------------------------------------------------------

@dataclass
class _Draft:
    line: int
    username: str
    display_name: str
    phone: str | None
    email: str | None
    problems: list[str] = field(default_factory=list)
    trusted: bool = True   # False when the fields are shifted: no cross-row checks then


def _check_row(line: int, fields: list[str], columns: dict[int, str], expected: int,
               delimiter: str) -> _Draft:
    values = {name: "" for name in COLUMNS}
    for index, name in columns.items():
        if index < len(fields):
            values[name] = fields[index]
    draft = _Draft(
        line=line,
        username=values["username"].strip().lower(),
        display_name=" ".join(values["display_name"].split()),
        phone=_clean_phone(values["phone"]) or None,
        email=values["email"].strip().lower() or None,
    )

    separator = _("tab") if delimiter == "\t" else delimiter
    if any(("\n" in value or "\r" in value) and delimiter in value for value in fields):
        draft.problems.append(_(
            'a quote (") in this row is not closed, so the lines after it were read as part '
            'of one value: close the quote or remove it'))
        draft.trusted = False
        return draft
    count = len(fields)
    while count and not fields[count - 1].strip():   # trailing separators are harmless
        count -= 1
    if count > expected:
        draft.problems.append(_(
            'too many columns (%(count)d, expected %(expected)d): a value probably contains '
            'the separator "%(separator)s"; put that value in double quotes',
            count=count, expected=expected, separator=separator))
        draft.trusted = False
        return draft

    draft.problems.extend(_username_problems(draft.username))
    draft.problems.extend(_display_name_problems(draft.display_name))
    if draft.phone is not None:
        draft.problems.extend(_phone_problems(draft.phone))
    if draft.email is not None:
        draft.problems.extend(_email_problems(draft.email))
    return draft


def _clean_phone(value: str) -> str:
    value = value.strip()
    if value.startswith("'"):      # Excel's "keep as text" apostrophe: '0812...
        value = value[1:].strip()
    return value


def _username_problems(username: str) -> list[str]:
    if not username:
        return [_("username is empty")]
    if USERNAME_RE.fullmatch(username):
        return []
    return [_('username "%(username)s" is not valid: use 3 to 64 letters, digits, dots, '
              'hyphens or underscores, starting with a letter or digit (no spaces)',
              username=_shorten(username))]


def _display_name_problems(name: str) -> list[str]:
    if not name:
        return [_("display name is empty")]
    if len(name) > DISPLAY_NAME_MAX:
        return [_("display name is too long (%(length)d characters, at most %(max)d)",
                  length=len(name), max=DISPLAY_NAME_MAX)]
    return []


def _phone_problems(phone: str) -> list[str]:
    if SCIENTIFIC_RE.fullmatch(phone):
        return [_('phone "%(phone)s" was turned into a number by the spreadsheet: format the '
                  'phone column as text and type the numbers again', phone=_shorten(phone))]
    digits = sum(ch.isdigit() for ch in phone)
    low, high = PHONE_DIGITS
    if PHONE_RE.fullmatch(phone) and low <= digits <= high:
        return []
    return [_('phone "%(phone)s" is not valid: use %(min)d to %(max)d digits, optionally '
              'starting with + (spaces, hyphens, dots and brackets are allowed)',
              phone=_shorten(phone), min=low, max=high)]


def _email_problems(email: str) -> list[str]:
    if len(email) > EMAIL_MAX:
        return [_("email is too long (%(length)d characters, at most %(max)d)",
                  length=len(email), max=EMAIL_MAX)]
    if EMAIL_RE.fullmatch(email):
        return []
    return [_('email "%(email)s" is not valid: it needs one @ and a domain with a dot, '
              'without spaces (like nama@contoh.org)', email=_shorten(email))]


def _check_duplicates(drafts: list[_Draft]) -> None:
    first_line: dict[str, int] = {}
    for draft in drafts:
        if not draft.trusted or not USERNAME_RE.fullmatch(draft.username):
            continue
        if draft.username in first_line:
            draft.problems.append(_(
                'username "%(username)s" is used more than once (first on line %(first)d)',
                username=draft.username, first=first_line[draft.username]))
        else:
            first_line[draft.username] = draft.line


def _check_taken(drafts: list[_Draft],
                 existing_usernames: Callable[[set[str]], Iterable[str]] | None) -> None:
    if existing_usernames is None:
        return
    candidates = {d.username for d in drafts
                  if d.trusted and USERNAME_RE.fullmatch(d.username)}
    if not candidates:
        return
    taken = set(existing_usernames(set(candidates)) or ()) & candidates
    for draft in drafts:
        if draft.trusted and draft.username in taken:
            draft.problems.append(_(
                'username "%(username)s" is already taken by an existing account: '
                'choose another one', username=draft.username))


# --- helpers ----------------------------------------------------------------------------

def _shorten(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SHOWN_VALUE_MAX else value[:SHOWN_VALUE_MAX - 1] + "…"


def _preview(rows: list[RosterRow], file_problems: list[tuple[int, str]],
             delimiter: str) -> RosterPreview:
    problems = list(file_problems)
    problems.extend((row.line, message) for row in rows for message in row.problems)
    problems.sort(key=lambda item: item[0])   # stable: whole-file problems lead their line
    return RosterPreview(rows=rows, problems=problems, delimiter=delimiter)
