"""The people of an organisation: the searchable, paged list; a person's page; activation
slips (confirmation before codes are replaced, expiry, printing) and erasure's confirmation."""
import datetime as dt
import re

import sqlalchemy as sa
from babel.dates import format_date

from lms.accounts.activation import CODE_LIFETIME, issue_code, live_codes, redeem
from lms.accounts.models import ActivationCode, Organisation, User
from lms.accounts.people import organisation_people
from lms.assessment.models import Attempt
from lms.certification.service import issue_one
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.records.person import person_overview
from lms.timeutil import utcnow
from tests.conftest import csrf_token
from tests.factories import make_cohort, make_person, take_quiz, world
from tests.helpers import local_date
from tests.test_cohorts import sign_in, token_of


def _codes(html: str) -> list[str]:
    return re.findall(r'class="code">([^<]+)<', html)


def _org_a(app, ids) -> Organisation:
    return db.session.get(Organisation, ids["org_a"])


# Rules, without HTTP.

def test_search_matches_username_or_name_in_any_case_and_takes_wildcards_literally(app, synced):
    ids = world(app)
    with app.app_context():
        org = _org_a(app, ids)
        make_person("melati_01", org=org).display_name = "Melati Putih"
        make_person("kenanga", org=org).display_name = "Ibu Kenanga"
        make_person("melatix01", org=org)
        db.session.flush()

        def names(search):
            return [u.username for u in db.session.scalars(organisation_people(org.id, search))]
        assert names("KENANGA") == ["kenanga"]                  # by username, any case
        assert names("putih") == ["melati_01"]                  # by display name
        assert names("melati_") == ["melati_01"]                # "_" is not a wildcard
        assert names("%") == []                                 # nor is "%"
        assert "trainee-b1" not in names("trainee")             # another organisation's people
        assert len(names("")) == 8                              # everyone of org A (4 + fac-none + 3)


def test_live_codes_are_the_unused_unexpired_ones(app, synced):
    ids = world(app)
    with app.app_context():
        a1, a2 = db.session.get(User, ids["ta1"]), db.session.get(User, ids["ta2"])
        now = utcnow()
        issue_code(a1, None, now)
        used = issue_code(a2, None, now - dt.timedelta(days=1))
        assert redeem("trainee-a2", used, "sandi-baru-2", now - dt.timedelta(days=1))
        assert live_codes([a1.id, a2.id], now) == {a1.id: now + CODE_LIFETIME}
        assert live_codes([a1.id], now + CODE_LIFETIME) == {}   # expired


def test_person_overview_gathers_cohorts_attempts_and_certificates(app, synced):
    ids = world(app)
    with app.app_context():
        attempt_id = take_quiz(ids["ta1"], "kuis-modul-1", {"0": 0, "1": False})
        cohort = db.session.get(Cohort, ids["cohort_a"])
        second = make_cohort(_org_a(app, ids), "Angkatan Kedua", trainees=[db.session.get(User, ids["ta1"])])
        issue_one(cohort, db.session.get(User, ids["ta1"]), ids["coord_a"], reason="Uji")
        overview = person_overview(db.session.get(User, ids["ta1"]))
        assert {c.cohort.id for c in overview.cohorts} == {cohort.id, second.id}
        assert [r.attempt.id for r in overview.attempts] == [attempt_id]
        assert overview.attempts[0].quiz_title == "Kuis Modul 1" and overview.attempts[0].submitted
        (template, certificates), = overview.sections
        assert template == "certification/_person.html" and [c.cohort_id for c in certificates] == [cohort.id]
        facilitator = person_overview(db.session.get(User, ids["fac_a"]))
        assert [c.id for c in facilitator.facilitates] == [cohort.id] and facilitator.cohorts == []


# The list.

def test_the_people_list_finds_by_username_and_by_name(app, client, synced):
    ids = world(app)
    with app.app_context():
        org = _org_a(app, ids)
        make_person("bunga01", org=org).display_name = "Melati Senja"
        make_person("mawar02", org=org).display_name = "Mawar Merah"
        db.session.commit()
    sign_in(client, "coord-a")
    base = f"/organisations/{ids['org_a']}"
    by_name = client.get(f"{base}?q=senja").get_data(as_text=True)
    assert "Melati Senja" in by_name and "Mawar Merah" not in by_name
    assert "1–1 dari 1 yang cocok dengan “senja”" in by_name
    by_username = client.get(f"{base}?q=MAWAR0").get_data(as_text=True)
    assert "Mawar Merah" in by_username and "Melati Senja" not in by_username
    nobody = client.get(f"{base}?q=tidak-ada").get_data(as_text=True)
    assert "Tidak ada yang cocok dengan “tidak-ada”" in nobody
    # Each person the coordinator manages links to their page.
    assert f'href="/organisations/{ids["org_a"]}/people/{ids["ta1"]}"' in client.get(base).get_data(as_text=True)


def test_the_people_list_pages_by_25_with_counts(app, client, synced):
    ids = world(app)
    with app.app_context():
        org = _org_a(app, ids)
        for i in range(55):
            make_person(f"peserta{i:02d}", org=org, password=None)
        db.session.commit()
    sign_in(client, "coord-a")
    base = f"/organisations/{ids['org_a']}"
    first = client.get(base).get_data(as_text=True)                      # 5 of the world + 55
    assert "1–25 dari 60" in first and "Halaman 1 dari 3" in first and 'rel="prev"' not in first
    assert first.count('<li>\n    <a href="/organisations/') + first.count('<li>\n    <span class="name">') == 25
    third = client.get(f"{base}?page=3").get_data(as_text=True)
    assert "51–60 dari 60" in third and 'rel="next"' not in third and "page=2" in third
    # Past the end (or nonsense): the nearest real page.
    assert "51–60 dari 60" in client.get(f"{base}?page=99").get_data(as_text=True)
    assert "1–25 dari 60" in client.get(f"{base}?page=-4").get_data(as_text=True)
    # The search is kept when paging.
    searched = client.get(f"{base}?q=peserta").get_data(as_text=True)
    assert "1–25 dari 55" in searched and "q=peserta&amp;page=2" in searched


# The person page.

def test_the_person_page_shows_cohorts_progress_attempts_certificates_and_actions(app, client, synced):
    ids = world(app)
    with app.app_context():
        attempt_id = take_quiz(ids["ta1"], "kuis-modul-1", {"0": 0, "1": False})
        score = round(db.session.get(Attempt, attempt_id).score_percent)
        cert, _new = issue_one(db.session.get(Cohort, ids["cohort_a"]), db.session.get(User, ids["ta1"]),
                               ids["coord_a"], reason="Uji")
        db.session.commit()
        cert_id = cert.id
    sign_in(client, "coord-a")
    base = f"/organisations/{ids['org_a']}/people/{ids['ta1']}"
    page = client.get(base)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>Trainee-A1</h1>" in html
    assert f'href="/cohorts/{ids["cohort_a"]}">Angkatan A</a>' in html
    assert "Modul selesai" in html and "/3" in html              # modules complete of the required
    assert f'href="/quiz/attempts/{attempt_id}/result">Kuis Modul 1</a>' in html and f"{score}%" in html
    assert f'<a href="/certificates/{cert_id}.pdf">Angkatan A</a>' in html and "badge ok\">sah" in html
    for action in (f"{base}/code", f"{base}/sessions/end", f"{base}/export.json", f"{base}/erase"):
        assert f'"{action}"' in html, action


def test_the_person_page_is_only_for_the_people_who_manage_them(app, synced):
    ids = world(app)
    path_a = f"/organisations/{ids['org_a']}/people/{ids['ta1']}"
    for username, path, status in [
        ("coord-a", path_a, 200), ("admin", path_a, 200),
        ("coord-b", path_a, 404),                                            # another organisation
        ("coord-a", f"/organisations/{ids['org_a']}/people/{ids['tb1']}", 404),  # not of org A
        ("coord-a", f"/organisations/{ids['org_b']}/people/{ids['tb1']}", 404),  # org B's page
        ("fac-a", path_a, 404), ("trainee-a1", path_a, 404),
        ("coord-a", f"/organisations/{ids['org_a']}/people/{ids['coord_a']}", 404),  # themself
    ]:
        client = app.test_client()
        sign_in(client, username)
        assert client.get(path).status_code == status, (username, path)


# Codes and slips.

def test_a_new_code_for_someone_holding_one_asks_first_and_then_ends_the_old_one(app, client, synced):
    ids = world(app)
    with app.app_context():
        old = issue_code(db.session.get(User, ids["ta1"]), ids["coord_a"], utcnow())
        db.session.commit()
    sign_in(client, "coord-a")
    path = f"/organisations/{ids['org_a']}/people/{ids['ta1']}/code"
    token = token_of(client, f"/organisations/{ids['org_a']}/people/{ids['ta1']}")
    ask = client.post(path, data={"csrf_token": token})
    html = ask.get_data(as_text=True)
    assert ask.status_code == 200 and _codes(html) == []
    assert "Kode lama mereka tidak berlaku lagi" in html and "Trainee-A1" in html
    assert 'name="confirmed" value="yes"' in html and f'action="{path}"' in html
    with app.app_context():                       # nothing changed: the old code still works
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivationCode)) == 1
        assert live_codes([ids["ta1"]], utcnow())
    confirmed = client.post(path, data={"csrf_token": csrf_token(html), "confirmed": "yes"})
    (new,) = _codes(confirmed.get_data(as_text=True))
    with app.app_context():
        assert redeem("trainee-a1", old, "sandi-baru-1", utcnow()) is None
        assert redeem("trainee-a1", new, "sandi-baru-1", utcnow()) is not None
        db.session.commit()


def test_a_first_code_needs_no_confirmation(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    token = token_of(client, f"/organisations/{ids['org_a']}/people/{ids['ta1']}")
    slip = client.post(f"/organisations/{ids['org_a']}/people/{ids['ta1']}/code", data={"csrf_token": token})
    assert slip.status_code == 200 and len(_codes(slip.get_data(as_text=True))) == 1


def test_cohort_slips_ask_first_when_some_trainees_hold_codes(app, client, synced):
    ids = world(app)
    with app.app_context():
        issue_code(db.session.get(User, ids["ta1"]), ids["coord_a"], utcnow())
        for user_id in (ids["ta1"], ids["ta2"]):
            db.session.get(User, user_id).password_hash = None       # neither has activated
        db.session.commit()
    sign_in(client, "coord-a")
    path = f"/cohorts/{ids['cohort_a']}/codes"
    token = token_of(client, f"/cohorts/{ids['cohort_a']}")
    ask = client.post(path, data={"csrf_token": token}).get_data(as_text=True)
    assert _codes(ask) == [] and "1 orang sudah punya kode" in ask and "1 orang lainnya mendapat kode pertama" in ask
    assert "Buat 2 slip baru" in ask
    slips = client.post(path, data={"csrf_token": token, "confirmed": "yes"}).get_data(as_text=True)
    assert len(_codes(slips)) == 2
    # A forged confirmation without the CSRF token does nothing.
    assert client.post(path, data={"confirmed": "yes"}).status_code == 400


def test_each_slip_shows_its_expiry_and_a_print_button_that_needs_no_inline_script(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    token = token_of(client, f"/cohorts/{ids['cohort_a']}/enrol")
    before = utcnow()
    slip = client.post(f"/cohorts/{ids['cohort_a']}/enrol", data={
        "username": "mawar", "display_name": "Mawar", "csrf_token": token})
    html = slip.get_data(as_text=True)
    expected = {format_date(local_date(moment + CODE_LIFETIME), "long", locale="id")
                for moment in (before, utcnow())}                   # midnight may pass meanwhile
    assert any(f"Berlaku sampai {day}" in html for day in expected), expected
    assert re.search(r'<button type="button"[^>]*data-print hidden>Cetak slip</button>', html)
    assert "perintah Cetak di peramban" in html                    # the way without JavaScript
    assert re.search(r'<script src="/static/print.js\?v=\w+" defer>', html)
    assert "<script>" not in html and "onclick" not in html
    assert client.get("/static/print.js").status_code == 200


def test_adding_a_staff_member_prints_their_slip_with_a_way_back_to_their_page(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    token = token_of(client, f"/organisations/{ids['org_a']}")
    slip = client.post(f"/organisations/{ids['org_a']}", data={
        "username": "fasilitator9", "display_name": "Fasil Sembilan", "role": "facilitator", "csrf_token": token})
    html = slip.get_data(as_text=True)
    with app.app_context():
        new_id = db.session.scalar(sa.select(User.id).where(User.username == "fasilitator9"))
    assert len(_codes(html)) == 1 and f'href="/organisations/{ids["org_a"]}/people/{new_id}"' in html


# Erasure's confirmation.

def test_erasing_goes_through_a_confirmation_page(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    path = f"/organisations/{ids['org_a']}/people/{ids['ta1']}/erase"
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'type="checkbox"' in html and "tidak bisa dibatalkan" in html
    refused = client.post(path, data={"csrf_token": csrf_token(html)})
    assert refused.status_code == 400 and "Centang kotak ini" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, ids["ta1"]).erased_at is None
    done = client.post(path, data={"csrf_token": csrf_token(html), "understood": "y"})
    assert done.status_code == 302
    person = client.get(f"/organisations/{ids['org_a']}/people/{ids['ta1']}").get_data(as_text=True)
    assert "Dihapus pada" in person and f"{path}\"" not in person and "/code\"" not in person
    assert client.get(path).status_code == 400                    # nothing left to erase
