"""Field practice: dates, sign-off, return with a comment, edit and withdraw until signed."""
import datetime as dt

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.practice import rules
from lms.practice.models import PracticeEntry
from lms.timeutil import local_today
from tests.factories import world
from tests.test_cohorts import sign_in, token_of

TODAY = dt.date(2026, 12, 2)


def _entry(**fields):
    return PracticeEntry(cohort_id=1, user_id=1, done_on=fields.pop("done_on", TODAY),
                         kind="hotline", description="Piket hotline.", **fields)


def test_future_dates_are_refused_by_the_rule():
    assert rules.is_future(TODAY + dt.timedelta(days=1), TODAY)
    assert not rules.is_future(TODAY, TODAY)


def test_a_future_dated_entry_cannot_be_signed(app):
    with app.app_context():
        entry = _entry(done_on=TODAY + dt.timedelta(days=3))
        with pytest.raises(rules.PracticeRefused):
            rules.sign_off(entry, mentor_id=7, today=TODAY)
        assert entry.signed_off_at is None


def test_returning_needs_a_comment_and_editing_sends_it_back(app):
    with app.app_context():
        entry = _entry()
        with pytest.raises(rules.PracticeRefused):
            rules.return_entry(entry, 7, "  ")
        rules.return_entry(entry, 7, "Tanggalnya keliru.")
        assert entry.returned_at and entry.mentor_comment == "Tanggalnya keliru."
        rules.update_entry(entry, TODAY - dt.timedelta(days=1), "outreach", "Penjangkauan.")
        assert entry.returned_at is None and entry.kind == "outreach"
        rules.sign_off(entry, 7, TODAY)
        for change in (lambda: rules.update_entry(entry, TODAY, "hotline", "x"),
                       lambda: rules.withdraw_entry(entry), lambda: rules.return_entry(entry, 7, "x")):
            with pytest.raises(rules.PracticeRefused):
                change()


def _log(client, ids, done_on, description="Piket hotline malam."):
    path = f"/cohorts/{ids['cohort_a']}/practice"
    return client.post(path, data={"done_on": done_on.isoformat(), "kind": "hotline",
                                   "description": description, "csrf_token": token_of(client, path)})


def test_the_whole_path_through_the_browser_forms(app, client):
    ids = world(app)
    trainee, mentor = app.test_client(), client
    sign_in(trainee, "trainee-a1")
    today = local_today(app.config["BABEL_DEFAULT_TIMEZONE"])
    future = _log(trainee, ids, today + dt.timedelta(days=2))
    assert future.status_code == 400 and "masa depan" in future.get_data(as_text=True)
    assert _log(trainee, ids, today).status_code == 302
    with app.app_context():
        entry_id = db.session.scalar(sa.select(PracticeEntry.id))
    sign_in(mentor, "fac-a")
    page = f"/cohorts/{ids['cohort_a']}/practice/{ids['ta1']}"
    token = token_of(mentor, page)
    base = f"/cohorts/{ids['cohort_a']}/practice/entries/{entry_id}"
    empty = mentor.post(f"{base}/return", data={"comment": "", "csrf_token": token})
    assert empty.status_code == 400
    mentor.post(f"{base}/return", data={"comment": "Sebutkan jenis layanan.", "csrf_token": token})
    log = trainee.get(f"/cohorts/{ids['cohort_a']}/practice").get_data(as_text=True)
    assert "Sebutkan jenis layanan." in log
    edit = f"{base}/edit"
    response = trainee.post(edit, data={"done_on": today.isoformat(), "kind": "referral",
                                        "description": "Merujuk ke UPTD PPA.",
                                        "csrf_token": token_of(trainee, edit)})
    assert response.status_code == 302
    assert mentor.post(f"{base}/sign", data={"csrf_token": token}).status_code == 302
    withdraw = trainee.post(f"{base}/withdraw", data={
        "csrf_token": token_of(trainee, f"/cohorts/{ids['cohort_a']}/practice")})
    assert withdraw.status_code == 302
    with app.app_context():
        entry = db.session.get(PracticeEntry, entry_id)
        assert entry is not None and entry.signed_off_at and entry.kind == "referral"


def test_a_trainee_withdraws_an_unsigned_entry_and_nobody_else_can(app, client):
    ids = world(app)
    sign_in(client, "trainee-a1")
    today = local_today(app.config["BABEL_DEFAULT_TIMEZONE"])
    _log(client, ids, today)
    with app.app_context():
        entry_id = db.session.scalar(sa.select(PracticeEntry.id))
    other = app.test_client()
    sign_in(other, "trainee-a2")
    base = f"/cohorts/{ids['cohort_a']}/practice/entries/{entry_id}"
    token = token_of(other, f"/cohorts/{ids['cohort_a']}/practice")
    assert other.post(f"{base}/withdraw", data={"csrf_token": token}).status_code == 404
    assert other.get(f"{base}/edit").status_code == 404
    token = token_of(client, f"/cohorts/{ids['cohort_a']}/practice")
    assert client.post(f"{base}/withdraw", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(PracticeEntry, entry_id) is None
