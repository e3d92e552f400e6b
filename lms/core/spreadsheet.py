"""CSV files that people open in a spreadsheet: what Indonesian spreadsheet software expects,
and nothing in a cell that it would run as a formula."""
import csv
import io

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text, with an apostrophe before anything a spreadsheet would evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def spreadsheet_csv(rows) -> str:
    """`;`-separated CSV with a UTF-8 BOM: the convention of our roster import, and what
    spreadsheet software set to Indonesian opens correctly (its list separator is `;`)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([[safe_cell(c) for c in row] for row in rows])
    return "\ufeff" + buffer.getvalue()
