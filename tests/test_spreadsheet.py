"""CSV exports for people: nothing a spreadsheet would run as a formula."""
import pytest

from lms.core.spreadsheet import safe_cell, spreadsheet_csv


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+62 812", "'+62 812"),
    ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"),
    ("Melati", "Melati"), ("-12,5", "-12,5"), ("", ""), (None, ""), (7, "7")])
def test_cells_that_would_be_formulas_are_neutralised(value, cell):
    assert safe_cell(value) == cell


def test_the_file_uses_semicolons_and_a_bom():
    text = spreadsheet_csv([["a", "b;c"], ["=1+1", "x"]])
    assert text == '\ufeffa;"b;c"\r\n\'=1+1;x\r\n'


def test_a_display_name_cannot_inject_a_formula_into_the_cohort_report(app, client, synced):
    from lms.accounts.models import User
    from lms.extensions import db
    from tests.factories import world
    from tests.test_cohorts import sign_in
    ids = world(app)
    with app.app_context():
        db.session.get(User, ids["ta1"]).display_name = "=cmd|' /C calc'!A0"
        db.session.commit()
    sign_in(client, "coord-a")
    text = client.get(f"/cohorts/{ids['cohort_a']}/report.csv").get_data(as_text=True)
    assert ";'=cmd|" in text and ";=cmd" not in text
