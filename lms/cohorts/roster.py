"""Reading a roster CSV that a coordinator uploads to enrol trainees.

Pure: bytes in, a preview out. Nothing touches the database except the one optional
`existing_usernames` callback, which the caller answers with a single query. Every problem
is named (already translated) so the preview can show it next to its line; the caller
imports nothing unless `RosterPreview.ok`.

Messages never contain the line number: the preview shows it in its own column and the
CLI prints "file:line: message".
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lms.accounts.person_fields import (
    USERNAME_RE,
    clean_phone,
    display_name_problems,
    email_problems,
    normalise_display_name,
    normalise_username,
    phone_problems,
    username_problems,
)
from lms.cohorts.roster_csv import (
    COLUMNS,
    REQUIRED,
    decode,
    detect_delimiter,
    first_filled_line,
    read_header,
    read_records,
    split_first_line,
)
from lms.core.i18n import gettext as _


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
    text, problem = decode(data)
    if problem:
        return RosterPreview(rows=[], problems=[(1, problem)], delimiter=",")

    offset = 0
    delimiter = None
    first_line, rest = split_first_line(text)
    sep_hint = re.fullmatch(r"(?i)sep=([,;\t])", first_line.strip(" "))
    if sep_hint:  # Excel's "sep=;" hint line: it names the separator and is not a row
        delimiter = sep_hint.group(1)
        text = rest
        offset = 1
    if not text.strip():
        return RosterPreview(rows=[], problems=[(1, _("the file is empty"))],
                             delimiter=delimiter or ",")
    delimiter = delimiter or detect_delimiter(first_filled_line(text))

    records, read_problem = read_records(text, delimiter, offset)
    file_problems: list[tuple[int, str]] = []
    if read_problem:
        file_problems.append(read_problem)
    if not records:
        if not read_problem:
            file_problems.append((1, _("the file is empty")))
        return _preview([], file_problems, delimiter)

    header_line, header = records[0]
    data_records = records[1:]
    columns, header_problems = read_header(header)
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
        username=normalise_username(values["username"]),
        display_name=normalise_display_name(values["display_name"]),
        phone=clean_phone(values["phone"]) or None,
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

    draft.problems.extend(username_problems(draft.username))
    draft.problems.extend(display_name_problems(draft.display_name))
    if draft.phone is not None:
        draft.problems.extend(phone_problems(draft.phone))
    if draft.email is not None:
        draft.problems.extend(email_problems(draft.email))
    return draft


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

def _preview(rows: list[RosterRow], file_problems: list[tuple[int, str]],
             delimiter: str) -> RosterPreview:
    problems = list(file_problems)
    problems.extend((row.line, message) for row in rows for message in row.problems)
    problems.sort(key=lambda item: item[0])   # stable: whole-file problems lead their line
    return RosterPreview(rows=rows, problems=problems, delimiter=delimiter)
