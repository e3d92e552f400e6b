"""The roster CSV a coordinator uploads: every good shape is read, every problem is named
on its line, and nothing is ok while a single problem remains."""
import pytest

from lms.cohorts.roster import RosterPreview, RosterRow, detect_delimiter, parse_roster

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def ctx(app):
    """English messages, so the assertions read the source strings (the Indonesian
    catalogue is tested through the pages)."""
    from flask_babel import force_locale
    with app.app_context(), force_locale("en"):
        yield


def csv_bytes(*lines: str, newline: str = "\n", bom: bool = False) -> bytes:
    return (BOM if bom else b"") + newline.join(lines).encode("utf-8") + newline.encode()


def only_problem(preview: RosterPreview) -> tuple[int, str]:
    assert len(preview.problems) == 1, preview.problems
    return preview.problems[0]


def assert_problem(preview: RosterPreview, line: int, phrase: str) -> None:
    assert not preview.ok
    assert any(at == line and phrase in message for at, message in preview.problems), \
        preview.problems


# --- good files ---------------------------------------------------------------------------

def test_comma_separated(ctx):
    preview = parse_roster(csv_bytes(
        "username,display_name,phone,email",
        "Budi.S , Budi   Santoso ,+62 812-3456-7890, Budi@Example.ORG ",
        "sari_01,Sari,,"))
    assert preview.ok, preview.problems
    assert preview.delimiter == ","
    assert preview.rows == [
        RosterRow(line=2, username="budi.s", display_name="Budi Santoso",
                  phone="+62 812-3456-7890", email="budi@example.org"),
        RosterRow(line=3, username="sari_01", display_name="Sari", phone=None, email=None),
    ]


def test_semicolon_with_bom_and_crlf(ctx):
    preview = parse_roster(csv_bytes("username;display_name;phone",
                                     "mawar;Mawar Melati;0812 3456 789",
                                     "dewi-w;Dewi, S.H.;", newline="\r\n", bom=True))
    assert preview.ok, preview.problems
    assert preview.delimiter == ";"
    assert [(r.line, r.username, r.display_name, r.phone) for r in preview.rows] == [
        (2, "mawar", "Mawar Melati", "0812 3456 789"), (3, "dewi-w", "Dewi, S.H.", None)]


def test_tab_separated(ctx):
    preview = parse_roster(csv_bytes("username\tdisplay_name", "rina\tRina Ayu"))
    assert preview.ok, preview.problems
    assert preview.delimiter == "\t"
    assert preview.rows[0].display_name == "Rina Ayu"


def test_quoted_fields_keep_the_delimiter(ctx):
    preview = parse_roster(csv_bytes(
        "username,display_name,phone",
        'ani,"Ani, S.H.","0812-1111-2222"',
        'joko, "Joko ""JJ"" Widodo",'))
    assert preview.ok, preview.problems
    assert [r.display_name for r in preview.rows] == ["Ani, S.H.", 'Joko "JJ" Widodo']


def test_header_aliases_any_case_and_order(ctx):
    preview = parse_roster(csv_bytes(" NAMA ;Nama_Pengguna; No HP ;E-Mail",
                                     "Kartini;kartini;081234567890;k@contoh.or.id"))
    assert preview.ok, preview.problems
    row = preview.rows[0]
    assert (row.username, row.display_name, row.phone, row.email) == (
        "kartini", "Kartini", "081234567890", "k@contoh.or.id")


@pytest.mark.parametrize("heading, field", [
    ("name", "display_name"), ("display name", "display_name"), ("nama_tampilan", "display_name"),
    ("telepon", "phone"), ("hp", "phone"), ("phone_number", "phone"), ("user", "username")])
def test_every_alias(ctx, heading, field):
    header = {"username": "username", "display_name": "display_name", "phone": "phone"}
    header[field] = heading
    preview = parse_roster(csv_bytes(",".join(header.values()), "putri,Putri,0812345678"))
    assert preview.ok, preview.problems


def test_optional_columns_absent_and_short_rows(ctx):
    preview = parse_roster(csv_bytes("username,display_name,phone,email", "lestari,Lestari"))
    assert preview.ok, preview.problems
    assert preview.rows[0].phone is None and preview.rows[0].email is None


def test_blank_lines_are_skipped_and_lines_stay_right(ctx):
    preview = parse_roster(csv_bytes("username;display_name", "", "ayu;Ayu", " ; ", "",
                                     "bunga;Bunga", "", ""))
    assert preview.ok, preview.problems
    assert [(r.line, r.username) for r in preview.rows] == [(3, "ayu"), (6, "bunga")]


def test_excel_apostrophe_on_phone(ctx):
    preview = parse_roster(csv_bytes("username;display_name;phone", "melati;Melati;'081298765432"))
    assert preview.ok, preview.problems
    assert preview.rows[0].phone == "081298765432"


def test_trailing_separators_are_harmless(ctx):
    preview = parse_roster(csv_bytes("username;display_name;;", "melati;Melati;;;"))
    assert preview.ok, preview.problems


def test_excel_sep_hint_line(ctx):
    preview = parse_roster(csv_bytes("sep=;", "username;display_name", "melati;Melati, S.H."))
    assert preview.ok, preview.problems
    assert preview.delimiter == ";"
    assert preview.rows[0].line == 3


def test_quoted_newline_keeps_order_and_line_numbers(ctx):
    preview = parse_roster(csv_bytes(
        "username,display_name,phone",
        'satu,"Nama\nDua Baris",',
        "dua,Dua,",
        'tiga,"Tiga\r\nEmpat\nLima",',
        "empat,Empat,"))
    assert preview.ok, preview.problems
    assert [(r.line, r.username, r.display_name) for r in preview.rows] == [
        (2, "satu", "Nama Dua Baris"), (4, "dua", "Dua"), (5, "tiga", "Tiga Empat Lima"),
        (8, "empat", "Empat")]


def test_problem_after_quoted_newline_is_on_its_own_line(ctx):
    preview = parse_roster(csv_bytes("username,display_name", 'satu,"A\nB"', "x,Pendek"))
    assert only_problem(preview)[0] == 4


def test_detect_delimiter():
    assert detect_delimiter("username;display_name,x;y") == ";"
    assert detect_delimiter("username,display_name") == ","
    assert detect_delimiter("username\tdisplay_name") == "\t"
    assert detect_delimiter("username") == ","


def test_works_in_a_request_context_too(app):
    with app.test_request_context():
        preview = parse_roster(csv_bytes("username,display_name", "a b,A"))
    assert "tidak sah" in only_problem(preview)[1]  # Indonesian by default in a request


# --- bad files ----------------------------------------------------------------------------

def test_bad_encoding(ctx):
    data = "username;display_name\njose;Jos\xe9\n".encode("cp1252")
    preview = parse_roster(data)
    line, message = only_problem(preview)
    assert line == 1 and "not UTF-8" in message and "CSV UTF-8" in message
    assert preview.rows == [] and not preview.ok


def test_utf16_file_is_not_text(ctx):
    data = "username,display_name\nsari,Sari\n".encode("utf-16")
    line, message = only_problem(parse_roster(data))
    assert line == 1 and "NUL" in message and "CSV UTF-8" in message


def test_excel_workbook_uploaded_by_mistake(ctx):
    line, message = only_problem(parse_roster(b"PK\x03\x04\x14\x00\x06\x00rest-of-zip"))
    assert line == 1 and "workbook" in message


@pytest.mark.parametrize("data", [b"", BOM, b"\n\n  \r\n", b"sep=;\n"])
def test_empty_file(ctx, data):
    line, message = only_problem(parse_roster(data))
    assert line == 1 and "empty" in message


def test_header_only(ctx):
    line, message = only_problem(parse_roster(csv_bytes("username,display_name")))
    assert line == 1 and "no trainees" in message


def test_missing_required_column(ctx):
    preview = parse_roster(csv_bytes("username;phone", "budi;0812345678"))
    line, message = only_problem(preview)
    assert line == 1 and 'no "display_name" column' in message
    assert preview.rows == []


def test_file_without_header_misses_both_columns(ctx):
    preview = parse_roster(csv_bytes("budi,Budi"))
    messages = [m for _, m in preview.problems]
    assert any('no "username" column' in m for m in messages)
    assert any('no "display_name" column' in m for m in messages)


def test_unknown_column(ctx):
    preview = parse_roster(csv_bytes("username,display_name,alamat", "budi,Budi,Jl. Mawar"))
    line, message = only_problem(preview)
    assert line == 1 and 'unknown column "alamat"' in message
    assert "username, display_name, phone, email" in message
    assert not preview.ok


def test_column_without_heading(ctx):
    line, message = only_problem(parse_roster(csv_bytes("username,,display_name", "abc,,Abc")))
    assert line == 1 and "column 2 has no heading" in message


def test_duplicate_column(ctx):
    preview = parse_roster(csv_bytes("username,display_name,Username", "budi,Budi,budi"))
    assert_problem(preview, 1, 'column "Username" appears twice')
    preview = parse_roster(csv_bytes("username,nama,name", "budi,Budi,Budi"))
    assert_problem(preview, 1, 'columns "nama" and "name" both mean "display_name"')


def test_too_many_columns(ctx):
    preview = parse_roster(csv_bytes("username,display_name", "ok1,Baik", "budi,Budi, S.H."))
    line, message = only_problem(preview)
    assert line == 3 and "too many columns (3, expected 2)" in message
    assert "put that value in double quotes" in message
    assert preview.rows[0].problems == () and len(preview.rows[1].problems) == 1


def test_unclosed_quote(ctx):
    preview = parse_roster(csv_bytes("username,display_name", 'budi,"Budi', "sari,Sari",
                                     "ani,Ani"))
    line, message = only_problem(preview)
    assert line == 2 and "not closed" in message


def test_field_too_big_to_read(ctx):
    line, message = only_problem(parse_roster(b'username,display_name\nabc,"' + b"x" * 200_000))
    assert line == 2 and "cannot be read" in message


def test_empty_name(ctx):
    line, message = only_problem(parse_roster(csv_bytes("username;display_name", "budi;   ")))
    assert line == 2 and "display name is empty" in message


def test_name_too_long(ctx):
    line, message = only_problem(parse_roster(csv_bytes("username;display_name",
                                                        "budi;" + "x" * 121)))
    assert line == 2 and "too long (121 characters, at most 120)" in message


def test_empty_username(ctx):
    preview = parse_roster(csv_bytes("username;display_name", "ok1;Baik", " ;Budi"))
    line, message = only_problem(preview)
    assert line == 3 and "username is empty" in message
    assert preview.rows[1].problems == (message,)


def test_missing_required_field_in_short_row(ctx):
    line, message = only_problem(parse_roster(csv_bytes("display_name;username", "Budi")))
    assert line == 2 and "username is empty" in message


@pytest.mark.parametrize("username", ["budi santoso", "ab", "_budi", "budi@x", "b" * 65, "budé"])
def test_bad_username(ctx, username):
    line, message = only_problem(parse_roster(csv_bytes("username;display_name",
                                                        f"{username};Budi")))
    assert line == 2 and "is not valid" in message and "no spaces" in message


def test_duplicate_username_names_both_lines(ctx):
    preview = parse_roster(csv_bytes("username;display_name", "budi;Budi", "sari;Sari",
                                     "BUDI;Budi Lagi", "budi;Budi Tiga"))
    assert [line for line, _ in preview.problems] == [4, 5]
    for line, message in preview.problems:
        assert 'username "budi" is used more than once (first on line 2)' in message
    assert preview.rows[0].problems == ()


def test_taken_username_asks_the_database_once(ctx):
    calls = []

    def existing(usernames):
        calls.append(usernames)
        return {"sari", "someone-else"}

    preview = parse_roster(csv_bytes("username;display_name", "budi;Budi", "Sari;Sari",
                                     "bad name;X", "budi;Budi 2"), existing_usernames=existing)
    assert calls == [{"budi", "sari"}]
    assert_problem(preview, 3, 'username "sari" is already taken')
    assert [line for line, _ in preview.problems] == [3, 4, 5]


def test_taken_username_is_not_asked_without_valid_usernames(ctx):
    calls = []
    parse_roster(csv_bytes("username;display_name", "a b;X"),
                 existing_usernames=lambda names: calls.append(names) or set())
    assert calls == []


def test_taken_username_with_real_users(app, make_user):
    from lms.accounts.models import User
    from lms.extensions import db
    make_user("sari")
    from flask_babel import force_locale
    with app.app_context(), force_locale("en"):
        def existing(names):
            return set(db.session.scalars(db.select(User.username)
                                          .where(User.username.in_(names))))
        preview = parse_roster(csv_bytes("username,display_name", "sari,Sari", "budi,Budi"),
                               existing_usernames=existing)
    assert only_problem(preview)[0] == 2


@pytest.mark.parametrize("phone", ["0812", "12345678901234567", "0812-abc-789", "08123+45678",
                                   "6.28123E+11"])
def test_bad_phone(ctx, phone):
    line, message = only_problem(parse_roster(csv_bytes("username;display_name;phone",
                                                        f"budi;Budi;{phone}")))
    assert line == 2 and f'phone "{phone}"' in message


def test_phone_in_scientific_notation_explains_the_spreadsheet(ctx):
    _, message = only_problem(parse_roster(csv_bytes("username;display_name;phone",
                                                     "budi;Budi;6,28123E+11")))
    assert "format the phone column as text" in message


@pytest.mark.parametrize("phone", ["+62 (812) 3456.7890", "08123456", "(0274) 555-123"])
def test_good_phone(ctx, phone):
    assert parse_roster(csv_bytes("username;display_name;phone", f"budi;Budi;{phone}")).ok


@pytest.mark.parametrize("email", ["budi", "budi@example", "budi@@example.org",
                                   "budi @example.org", "a@b@c.org"])
def test_bad_email(ctx, email):
    line, message = only_problem(parse_roster(csv_bytes("username;display_name;email",
                                                        f"budi;Budi;{email}")))
    assert line == 2 and "is not valid" in message and "@" in message


def test_email_too_long(ctx):
    email = "a" * 250 + "@x.org"
    line, message = only_problem(parse_roster(csv_bytes("username;display_name;email",
                                                        f"budi;Budi;{email}")))
    assert line == 2 and "email is too long" in message


def test_too_many_rows(ctx):
    calls = []
    lines = ["username,display_name"] + [f"user{i},User {i}" for i in range(4)]
    preview = parse_roster(csv_bytes(*lines), existing_usernames=calls.append, max_rows=3)
    line, message = only_problem(preview)
    assert line == 1 and "4 trainees" in message and "at most 3" in message
    assert "split" in message and calls == [] and preview.rows == []
    assert parse_roster(csv_bytes(*lines), max_rows=4).ok


def test_one_problem_anywhere_means_not_ok_and_problems_are_sorted(ctx):
    preview = parse_roster(csv_bytes("username;display_name;phone;email",
                                     "good;Good;;", "a b;;123;x", "fine;Fine;;"))
    assert not preview.ok
    assert [line for line, _ in preview.problems] == [3, 3, 3, 3]
    assert len(preview.rows) == 3 and preview.rows[1].line == 3
    assert len(preview.rows[1].problems) == 4
    assert [r.problems for r in (preview.rows[0], preview.rows[2])] == [(), ()]


def test_whole_file_problem_comes_before_row_problems(ctx):
    preview = parse_roster(csv_bytes("username,display_name,kota", "a b,X,Solo"))
    assert [line for line, _ in preview.problems] == [1, 2]
    assert "unknown column" in preview.problems[0][1]


def test_fixture_file(ctx):
    from pathlib import Path
    data = (Path(__file__).parent / "fixtures" / "roster" / "excel-semicolon-bom.csv").read_bytes()
    preview = parse_roster(data)
    assert preview.ok, preview.problems
    assert preview.delimiter == ";" and len(preview.rows) == 3


def test_a_locale_forced_by_the_caller_is_kept(app):
    from flask_babel import force_locale, get_locale
    with app.app_context(), force_locale("en"):
        preview = parse_roster(csv_bytes("username,display_name", "a b,A"))
        assert str(get_locale()) == "en"
    assert "not valid" in only_problem(preview)[1]


def test_never_raises_on_garbage(ctx):
    for data in [b"sep=\"\nusername,display_name\nabc,Abc\n", b'"' + b"x" * 200_000,
                 b"\r\r\r", b"username\rdisplay_name", b";;;\n;;;\n"]:
        assert isinstance(parse_roster(data), RosterPreview)
