"""Coordinators and facilitators running a cohort, through HTTP and the commands."""
import datetime as dt
import io
import json

import sqlalchemy as sa

from lms.accounts.models import User
from lms.cohorts.models import Attendance, Cohort, CohortFacilitator, Enrollment
from lms.extensions import db
from lms.practice.models import ActionPlan, PracticeEntry
from tests.conftest import PASSWORD, csrf_token
from tests.factories import world
from tests.helpers import count_queries

ROSTER = ("username;display_name;phone;email\n" +
          "".join(f"peserta{i:02d};Peserta {i};;\n" for i in range(1, 31))).encode("utf-8-sig")


def sign_in(client, username):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302


def token_of(client, path):
    return csrf_token(client.get(path).get_data(as_text=True))


def new_session(client, cohort_id, day, token):
    """Create a session through the form; returns its attendance page."""
    created = client.post(f"/cohorts/{cohort_id}/sessions/new", data={
        "held_on": day, "topic": "HAM", "csrf_token": token})
    assert created.status_code == 302
    return created.headers["Location"]


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_coordinator_creates_and_edits_a_cohort(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    token = token_of(client, "/cohorts/new")
    bad = client.post("/cohorts/new", data={"name": "", "organisation_id": ids["org_a"],
                                            "track_slug": "dasar", "csrf_token": token})
    assert bad.status_code == 400 and "Kolom ini wajib diisi." in bad.get_data(as_text=True)
    response = client.post("/cohorts/new", data={
        "name": "Angkatan II", "organisation_id": ids["org_a"], "track_slug": "dasar",
        "starts_on": "2026-12-01", "ends_on": "2026-12-20", "facilitators": [ids["fac_a"]],
        "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == "Angkatan II"))
        assert cohort.organisation_id == ids["org_a"] and cohort.required_module_slugs is None
        assert db.session.get(CohortFacilitator, (cohort.id, ids["fac_a"])) is not None
        cohort_id = cohort.id
    # Required modules: a subset is stored, all of them means "all".
    token = token_of(client, f"/cohorts/{cohort_id}/edit")
    client.post(f"/cohorts/{cohort_id}/edit", data={
        "name": "Angkatan II", "organisation_id": ids["org_a"], "track_slug": "dasar",
        "required_modules": ["modul-1", "modul-2"], "csrf_token": token})
    with app.app_context():
        assert db.session.get(Cohort, cohort_id).required_module_slugs == ["modul-1", "modul-2"]
    html = client.get(f"/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Belum ada peserta terdaftar." in html
    # Same name twice in one organisation is refused with a message.
    dup = client.post("/cohorts/new", data={"name": "Angkatan II", "organisation_id": ids["org_a"],
                                            "track_slug": "dasar", "csrf_token": token})
    assert dup.status_code == 400 and "sudah punya angkatan dengan nama ini" in dup.get_data(as_text=True)


def test_end_date_before_start_is_refused_in_indonesian(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    token = token_of(client, "/cohorts/new")
    response = client.post("/cohorts/new", data={
        "name": "X", "organisation_id": ids["org_a"], "track_slug": "dasar",
        "starts_on": "2026-12-10", "ends_on": "2026-12-01", "csrf_token": token})
    assert response.status_code == 400
    assert "Tanggal selesai sebelum tanggal mulai" in response.get_data(as_text=True)


def test_csv_import_previews_then_imports_all_rows_in_one_go(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    path = f"/cohorts/{ids['cohort_a']}/import"
    token = token_of(client, path)
    preview = client.post(path, data={"roster": (io.BytesIO(ROSTER), "angkatan.csv"), "csrf_token": token},
                          content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "peserta30" in html
    assert count(app, Enrollment, Enrollment.cohort_id == ids["cohort_a"]) == 2  # nothing yet
    confirm = client.post(path, data={"content": ROSTER.decode("utf-8-sig"), "csrf_token": token})
    # The slips come right away, one per imported trainee.
    slips = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and slips.count('class="slip"') == 30
    assert "peserta07" in slips and "30 peserta terdaftar" in slips
    assert count(app, Enrollment, Enrollment.cohort_id == ids["cohort_a"]) == 32
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "peserta07"))
        assert user.organisation_id == ids["org_a"] and user.password_hash is None and user.email is None


def test_a_bad_csv_imports_nothing_and_names_each_problem(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    path = f"/cohorts/{ids['cohort_a']}/import"
    bad = "username,display_name\nbaik01,Baik\n,Tanpa Nama Pengguna\nganda,Satu\nganda,Dua\ntrainee-a1,Sudah Ada\n"
    token = token_of(client, path)
    preview = client.post(path, data={"roster": (io.BytesIO(bad.encode()), "x.csv"), "csrf_token": token},
                          content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 400
    assert "confirm_import" not in html
    assert "nama pengguna kosong" in html and "dipakai lebih dari sekali" in html and "sudah dipakai akun lain" in html
    # Even a forged confirmation of the bad content imports nothing.
    forged = client.post(path, data={"content": bad, "csrf_token": token})
    assert forged.status_code == 400
    assert count(app, User, User.username == "baik01") == 0


def test_activation_codes_let_a_trainee_choose_a_password_once(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    token = token_of(client, f"/cohorts/{ids['cohort_a']}/enrol")
    slip = client.post(f"/cohorts/{ids['cohort_a']}/enrol", data={
        "username": "Mawar", "display_name": "Mawar", "csrf_token": token})
    html = slip.get_data(as_text=True)
    assert slip.status_code == 200 and 'class="code"' in html
    code = html.split('class="code">')[1].split("<")[0]
    trainee = app.test_client()
    page = trainee.get("/activate?username=mawar").get_data(as_text=True)
    form = {"username": "mawar", "code": code.lower().replace("-", " "), "password": "mawar-rahasia",
            "confirm": "mawar-rahasia", "csrf_token": csrf_token(page)}
    mismatch = trainee.post("/activate", data={**form, "confirm": "lain"})
    assert mismatch.status_code == 400 and "Kedua kata sandi tidak sama" in mismatch.get_data(as_text=True)
    assert trainee.post("/activate", data=form).status_code == 302
    assert trainee.get("/learn/").status_code == 200
    # The code works once.
    again = app.test_client()
    page = again.get("/activate").get_data(as_text=True)
    assert again.post("/activate", data={**form, "csrf_token": csrf_token(page)}).status_code == 400
    # A new code replaces a forgotten password; the old one no longer works.
    with app.app_context():
        mawar = db.session.scalar(sa.select(User).where(User.username == "mawar")).id
    token = token_of(client, f"/cohorts/{ids['cohort_a']}")
    new_slip = client.post(f"/cohorts/{ids['cohort_a']}/trainees/{mawar}/code", data={"csrf_token": token})
    new_code = new_slip.get_data(as_text=True).split('class="code">')[1].split("<")[0]
    assert new_code != code


def test_expired_code_is_refused(app, synced):
    from lms.accounts.activation import issue_code, redeem
    ids = world(app)
    with app.app_context():
        user = db.session.get(User, ids["ta1"])
        issued = dt.datetime(2026, 1, 1)
        code = issue_code(user, None, issued)
        assert redeem("trainee-a1", code, "sandi-baru-1", issued + dt.timedelta(days=31)) is None
        assert redeem("trainee-a2", code, "sandi-baru-1", issued) is None        # someone else's code
        assert redeem("trainee-a1", code, "sandi-baru-1", issued + dt.timedelta(days=1)) is not None
        db.session.rollback()


def test_facilitator_takes_attendance_and_the_rate_counts_excused(app, client, synced):
    ids = world(app)
    sign_in(client, "fac-a")
    token = token_of(client, f"/cohorts/{ids['cohort_a']}/sessions/new")
    for day, statuses in (("2026-11-01", ("present", "absent")), ("2026-11-08", ("excused", "present"))):
        attendance_page = new_session(client, ids["cohort_a"], day, token)
        response = client.post(attendance_page, data={
            f"u{ids['ta1']}": statuses[0], f"u{ids['ta2']}": statuses[1], "csrf_token": token})
        assert response.status_code == 302
    assert count(app, Attendance) == 4
    html = client.get(f"/cohorts/{ids['cohort_a']}").get_data(as_text=True)
    # ta1: present once, excused once -> 1/1 = 100 %; ta2: absent, present -> 50 %
    assert "100%" in html and "50%" in html
    sessions = client.get(f"/cohorts/{ids['cohort_a']}/sessions").get_data(as_text=True)
    assert "Hadir 1 · Izin 0 · Tidak hadir 1" in sessions      # 2026-11-01
    assert "Hadir 1 · Izin 1 · Tidak hadir 0" in sessions      # 2026-11-08


def test_rtl_is_written_submitted_returned_and_approved(app, client, synced):
    ids = world(app)
    trainee = app.test_client()
    sign_in(trainee, "trainee-a1")
    path = f"/cohorts/{ids['cohort_a']}/rtl"
    token = token_of(trainee, path)
    plan = {"activities": "Sosialisasi layanan hotline di dua kampung.", "target": "40 orang",
            "timeline": "Januari–Maret 2027", "support_needed": "Materi cetak", "csrf_token": token}
    assert trainee.post(path, data={**plan, "action": "submit"}).status_code == 302
    sign_in(client, "fac-a")
    review = f"/cohorts/{ids['cohort_a']}/rtl/{ids['ta1']}"
    token = token_of(client, review)
    empty = client.post(review, data={"decision": "return", "comment": "", "csrf_token": token})
    assert empty.status_code == 400
    client.post(review, data={"decision": "return", "comment": "Tambahkan jadwal.", "csrf_token": token})
    assert "Tambahkan jadwal." in trainee.get(path).get_data(as_text=True)
    trainee.post(path, data={**plan, "timeline": "Jan: RT 01", "action": "submit"})
    client.post(review, data={"decision": "approve", "comment": "", "csrf_token": token})
    with app.app_context():
        stored = db.session.scalar(sa.select(ActionPlan))
        assert stored.state == "approved" and stored.timeline == "Jan: RT 01"
    assert "disetujui" in client.get(f"/cohorts/{ids['cohort_a']}").get_data(as_text=True)
    # An approved plan cannot be changed by the trainee.
    trainee.post(path, data={**plan, "activities": "Lain", "action": "submit"})
    with app.app_context():
        assert db.session.scalar(sa.select(ActionPlan)).activities.startswith("Sosialisasi")


def test_field_practice_warns_about_personal_data_and_mentor_signs_off(app, client, synced):
    ids = world(app)
    trainee = app.test_client()
    sign_in(trainee, "trainee-a1")
    path = f"/cohorts/{ids['cohort_a']}/practice"
    token = token_of(trainee, path)
    entry = {"done_on": "2026-11-20", "kind": "accompaniment", "csrf_token": token,
             "description": "Mendampingi korban ke UPTD PPA, NIK 3201 2345 6789 0123, HP 0812-3456-7890."}
    warned = trainee.post(path, data=entry)
    html = warned.get_data(as_text=True)
    assert warned.status_code == 400 and "NIK 16 digit" in html and "nomor telepon" in html
    assert count(app, PracticeEntry) == 0
    clean = trainee.post(path, data={**entry, "description": "Mendampingi korban ke UPTD PPA."})
    assert clean.status_code == 302 and count(app, PracticeEntry) == 1
    sign_in(client, "fac-a")
    with app.app_context():
        entry_id = db.session.scalar(sa.select(PracticeEntry.id))
    token = token_of(client, f"/cohorts/{ids['cohort_a']}/practice/{ids['ta1']}")
    client.post(f"/cohorts/{ids['cohort_a']}/practice/entries/{entry_id}/sign", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(PracticeEntry, entry_id).signed_off_by == ids["fac_a"]
    assert ">1/1<" in client.get(f"/cohorts/{ids['cohort_a']}").get_data(as_text=True)


def test_report_csv_and_cli(app, client, synced, tmp_path):
    ids = world(app)
    sign_in(client, "coord-a")
    csv_text = client.get(f"/cohorts/{ids['cohort_a']}/report.csv").get_data(as_text=True)
    # For people and their spreadsheets: `;`, a BOM, Indonesian headings, titles not slugs.
    assert csv_text.startswith("\ufeffNama pengguna;Nama;Modul Uji 1;")
    assert "Kehadiran (%)" in csv_text and "modul-1" not in csv_text
    assert "trainee-a1" in csv_text and "trainee-b1" not in csv_text
    assert "trainee-a2;Trainee-A2;belum mulai" in csv_text
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cohort", "report", str(ids["cohort_a"]), "--format", "csv"])
    assert result.exit_code == 0 and "trainee-a2;Trainee-A2;belum mulai" in result.output
    roster = tmp_path / "r.csv"
    roster.write_bytes(ROSTER)
    imported = runner.invoke(args=["cohort", "import", str(ids["cohort_b"]), str(roster)])
    assert imported.exit_code == 0, imported.output
    assert "peserta01,Peserta 1," in imported.output
    assert count(app, Enrollment, Enrollment.cohort_id == ids["cohort_b"]) == 32
    again = runner.invoke(args=["cohort", "import", str(ids["cohort_b"]), str(roster)])
    assert again.exit_code != 0 and "r.csv:2:" in again.output and "nothing was imported" in again.output
    assert count(app, Enrollment, Enrollment.cohort_id == ids["cohort_b"]) == 32


def test_export_and_erase_a_trainee(app, client, synced):
    ids = world(app)
    with app.app_context():
        db.session.add(ActionPlan(cohort_id=ids["cohort_a"], user_id=ids["ta1"], activities="Nama korban: X"))
        db.session.add(PracticeEntry(cohort_id=ids["cohort_a"], user_id=ids["ta1"], done_on=dt.date(2026, 11, 2),
                                     kind="hotline", description="Mendampingi Bu X",
                                     mentor_comment="Jangan tulis 'Bu X' di sini"))
        db.session.commit()
    sign_in(client, "coord-a")
    exported = client.get(f"/organisations/{ids['org_a']}/people/{ids['ta1']}/export.json")
    data = json.loads(exported.get_data(as_text=True))
    assert data["account"]["username"] == "trainee-a1" and "password_hash" not in data["account"]
    assert data["action_plans"][0]["activities"] == "Nama korban: X"
    assert [c["id"] for c in data["cohorts"]] == [ids["cohort_a"]]
    erase = f"/organisations/{ids['org_a']}/people/{ids['ta1']}/erase"
    token = token_of(client, erase)
    # Unconfirmed, nothing is erased: the page asks again.
    unconfirmed = client.post(erase, data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and 'name="understood"' in unconfirmed.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, ids["ta1"]).erased_at is None
    assert client.post(erase, data={"csrf_token": token, "understood": "y"}).status_code == 302
    with app.app_context():
        user = db.session.get(User, ids["ta1"])
        assert user.username == f"erased-{ids['ta1']}" and user.password_hash is None and not user.active
        assert db.session.scalar(sa.select(ActionPlan.activities)) == "[dihapus]"
        entry = db.session.scalar(sa.select(PracticeEntry))
        assert entry.description == "[dihapus]" and entry.mentor_comment == ""
        # Still counted in the cohort.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrollment).where(
            Enrollment.cohort_id == ids["cohort_a"])) == 2
    trainee = app.test_client()
    token = csrf_token(trainee.get("/login").get_data(as_text=True))
    assert trainee.post("/login", data={"username": "trainee-a1", "password": PASSWORD,
                                        "csrf_token": token}).status_code == 401


def test_matrix_queries_do_not_grow_with_trainees_or_modules(app, client, synced):
    from lms.learning.models import Module
    from tests.factories import make_person
    ids = world(app)
    sign_in(client, "coord-a")
    counts = []
    for extra in (0, 25):
        with app.app_context():
            cohort = db.session.get(Cohort, ids["cohort_a"])
            for i in range(extra):
                person = make_person(f"extra{i}", org=cohort.organisation, password=None)
                db.session.add(Enrollment(cohort_id=cohort.id, user_id=person.id))
                db.session.add(Module(slug=f"extra-{i}", title=f"Extra {i}", track_slug="dasar",
                                      order=10 + i, source_path="x", content_hash="x"))
            db.session.commit()
        with count_queries(app) as statements:
            assert client.get(f"/cohorts/{ids['cohort_a']}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_everyone_else_present_in_one_tap(app, client, synced):
    ids = world(app)
    sign_in(client, "fac-a")
    token = token_of(client, f"/cohorts/{ids['cohort_a']}/sessions/new")
    client.post(new_session(client, ids["cohort_a"], "2026-11-01", token), data={
        f"u{ids['ta2']}": "excused", "all_present": "1", "csrf_token": token})
    with app.app_context():
        marks = dict(db.session.execute(sa.select(Attendance.user_id, Attendance.status)).all())
    assert marks == {ids["ta1"]: "present", ids["ta2"]: "excused"}


def test_a_double_tap_that_races_to_insert_twice_is_not_an_error(app, client, synced, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from lms.practice import rules
    ids = world(app)
    sign_in(client, "trainee-a1")
    path = f"/cohorts/{ids['cohort_a']}/rtl"
    token = token_of(client, path)

    def lost_the_race(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(rules, "save_plan", lost_the_race)
    response = client.post(path, data={"activities": "x", "action": "save", "csrf_token": token},
                           headers={"Referer": f"http://localhost{path}"})
    assert response.status_code == 302 and response.headers["Location"] == path
    assert "tertekan dua kali" in client.get(path).get_data(as_text=True)


def test_marking_read_twice_at_once_records_it_once(app, synced):
    from lms.learning.models import ModuleProgress
    from lms.learning.progress import mark_read
    ids = world(app)
    with app.app_context():
        assert mark_read(ids["ta1"], "modul-1") is True
        db.session.commit()
        # A second request that checked before the first committed still inserts: it must
        # come back as "already read", not as an error.
        db.session.add(ModuleProgress(user_id=ids["ta2"], module_slug="modul-1"))
        db.session.commit()
        from unittest import mock
        with mock.patch("lms.learning.progress.db.session.scalar", return_value=None):
            assert mark_read(ids["ta2"], "modul-1") is False
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ModuleProgress)) == 2


def test_list_pages_do_not_query_per_row(app, client, synced):
    """The cohort list (organisation names) and the review queue (trainee names) cost the
    same number of queries for one row as for many."""
    from lms.assessment.attempts import start_or_resume, submit
    from lms.assessment.models import Quiz
    from tests.factories import make_cohort, make_org, make_person
    world(app)
    sign_in(client, "admin")
    counts = []
    for round_ in range(2):
        with app.app_context():
            quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "kasus-uji"))
            for i in range(1 + 5 * round_):
                org = make_org(f"Org {round_}-{i}")
                trainee = make_person(f"t{round_}-{i}", org=org)
                make_cohort(org, trainees=[trainee])
                attempt = start_or_resume(trainee.id, quiz)
                db.session.flush()
                submit(attempt, {"0": 1, "1": "Esai."}, quiz.pass_mark)
            db.session.commit()
        with count_queries(app) as cohort_list:
            assert client.get("/cohorts/").status_code == 200
        with count_queries(app) as queue:
            assert client.get("/review/").status_code == 200
        counts.append((len(cohort_list), len(queue)))
    assert counts[0] == counts[1], counts


def test_an_existing_account_joins_a_second_cohort_and_leaves_one_with_its_records(app, client, synced):
    from tests.factories import make_cohort
    ids = world(app)
    with app.app_context():
        org = db.session.get(Cohort, ids["cohort_a"]).organisation
        second = make_cohort(org, "Angkatan II").id
        db.session.add(PracticeEntry(cohort_id=ids["cohort_a"], user_id=ids["ta1"],
                                     done_on=dt.date(2026, 11, 2), kind="hotline", description="Piket."))
        db.session.commit()
    sign_in(client, "coord-a")
    page = client.get(f"/cohorts/{second}/enrol?q=trainee-a1").get_data(as_text=True)
    assert "(trainee-a1)" in page and "trainee-b1" not in page   # only their own organisation
    token = csrf_token(page)
    assert client.post(f"/cohorts/{second}/enrol/{ids['ta1']}", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/cohorts/{second}/enrol/{ids['tb1']}", data={"csrf_token": token}).status_code == 404
    assert count(app, Enrollment, Enrollment.user_id == ids["ta1"]) == 2
    assert "(trainee-a1)" not in client.get(f"/cohorts/{second}/enrol?q=trainee-a1").get_data(as_text=True)
    assert client.post(f"/cohorts/{ids['cohort_a']}/trainees/{ids['ta1']}/remove",
                       data={"csrf_token": token}).status_code == 302
    assert count(app, Enrollment, Enrollment.user_id == ids["ta1"]) == 1
    assert count(app, PracticeEntry, PracticeEntry.user_id == ids["ta1"]) == 1   # records stay
