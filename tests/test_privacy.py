"""Privacy: the registry covers every column, the export holds everything it lists, erasure
leaves nothing readable (tables, SQLite files on disk), logs hold nothing personal, and every
staff action on a person is in the audit log, readable by the organisation's coordinator."""
import datetime as dt
import json
import logging
import re
from pathlib import Path

import sqlalchemy as sa

from lms.accounts.models import Organisation, User
from lms.assessment import attempts, review
from lms.assessment.models import Attempt, EssayReview, Quiz
from lms.certification import service as certification
from lms.cohorts.models import Cohort
from lms.core import audit
from lms.core.audit import AuditEntry
from lms.extensions import db
from lms.practice import rules as practice
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.records.privacy import KINDS, SECRET, TABLES, content_tables_filled, erase_person, export_person
from lms.roleplays import authoring, runs
from lms.roleplays.models import RolePlay, RolePlayRun, RunParticipant
from tests.conftest import PASSWORD
from tests.factories import make_person, world
from tests.test_attempts import take
from tests.test_cohorts import sign_in, token_of

NAME, USERNAME = "Wulandari Sekar", "wulan-sekar"
PHONE, EMAIL = "081298765432", "wulan.sekar@contoh.org"
PRINTED = "Wulandari Sekar Ayuningtyas"
# Text only this person wrote or that was written about their work.
SECRETS = {
    "essay": "ESAIRAHASIA suami saya memukul saya di Bekasi",
    "short": "PENDEKRAHASIA",
    "numeric": "ANGKARAHASIA 24",
    "rtl": "RTLRAHASIA dampingi tetangga",
    "rtl_target": "TARGETRAHASIA",
    "practice": "LAPANGANRAHASIA mendampingi ibu Sri",
    "mentor": "KOMENTARMENTOR jangan tulis ibu Sri",
    "reviewer_rtl": "KOMENTARRTL perjelas target",
    "essay_comment": "KOMENTARESAI kutipan: suami saya memukul",
    "regrade_reason": "ALASANREGRADE ia menulis tentang suaminya",
    "observer": "CATATANPENGAMAT tentang pemain lain",
    "about_role": "CATATANPERAN Wulandari Sekar gugup",
}


def _rich_person(app) -> dict:
    """World, plus a trainee with a name, contact details, a quiz with every kind of typed
    answer reviewed with a comment, an RTL returned with a comment, field practice returned
    with a comment, a printed name, and a role-play in which she played and observed."""
    ids = world(app)
    with app.app_context():
        org = db.session.get(Organisation, ids["org_a"])
        person = make_person(USERNAME, org=org)
        person.display_name, person.phone, person.email = NAME, PHONE, EMAIL
        cohort = db.session.get(Cohort, ids["cohort_a"])
        db.session.add(__import__("lms.cohorts.models", fromlist=["Enrollment"]).Enrollment(
            cohort_id=cohort.id, user_id=person.id))
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "kuis-semua-tipe"))
        attempt = attempts.start_or_resume(person.id, quiz)
        db.session.flush()
        attempts.submit(attempt, {"0": 1, "5": SECRETS["short"], "6": SECRETS["numeric"],
                                  "7": SECRETS["essay"]}, quiz.pass_mark)
        review.grade_essay(attempt, 7, [1, 1], "KOMENTARLAMA " + SECRETS["essay_comment"], ids["fac_a"])
        review.grade_essay(attempt, 7, [1, 1], SECRETS["essay_comment"], ids["fac_a"],
                           reason=SECRETS["regrade_reason"])
        plan = ActionPlan(cohort_id=cohort.id, user_id=person.id, state=ReviewState.DRAFT)
        db.session.add(plan)
        practice.save_plan(plan, {"activities": SECRETS["rtl"], "target": SECRETS["rtl_target"]}, True)
        practice.review_plan(plan, False, SECRETS["reviewer_rtl"], ids["fac_a"])
        entry = PracticeEntry(cohort_id=cohort.id, user_id=person.id, done_on=dt.date(2026, 11, 2),
                              kind="hotline", description=SECRETS["practice"])
        db.session.add(entry)
        db.session.flush()
        practice.return_entry(entry, ids["fac_a"], SECRETS["mentor"])
        certification.set_printed_name(person, PRINTED, person.id)
        shipped = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == "rp-uji"))
        run = runs.start_run(cohort, authoring.ensure_version(shipped, None),
                             [person.id, ids["ta1"], ids["ta2"]], groups=1)
        runs.rearrange(run, {person.id: (1, "Penelepon"), ids["ta1"]: (1, None), ids["ta2"]: (1, "Paralegal")})
        runs.go_live(run)
        runs.save_debrief(run, 1, f"{NAME} berani bicara; {USERNAME} perlu latihan lagi.")
        parts = {p.user_id: p for p in db.session.scalars(sa.select(RunParticipant).where(
            RunParticipant.run_id == run.id))}
        runs.save_observation(run, parts[ids["ta1"]], [0], {"Penelepon": SECRETS["about_role"],
                                                            "Paralegal": f"Tenang. Lebih baik dari {NAME}."})
        second = runs.start_run(cohort, authoring.ensure_version(shipped, None),
                                [person.id, ids["ta1"], ids["ta2"]], groups=1)
        runs.rearrange(second, {person.id: (1, None), ids["ta1"]: (1, "Penelepon"), ids["ta2"]: (1, "Paralegal")})
        runs.go_live(second)
        me = db.session.scalar(sa.select(RunParticipant).where(RunParticipant.run_id == second.id,
                                                               RunParticipant.user_id == person.id))
        runs.save_observation(second, me, [1], {"Paralegal": SECRETS["observer"]})
        db.session.commit()
        ids.update(person=person.id, attempt=attempt.id, run=run.id, plan=plan.id, entry=entry.id)
    return ids


# --- the registry ---------------------------------------------------------------------------

def test_every_table_and_column_is_in_the_privacy_registry(app):
    """A model or column added without deciding what it means for a person fails here."""
    with app.app_context():
        content_tables_filled()
        tables = {t.name: t for t in db.metadata.sorted_tables}
        assert sorted(set(tables) - set(TABLES)) == [], "tables missing from lms.records.privacy.TABLES"
        assert sorted(set(TABLES) - set(tables)) == [], "registry names tables that do not exist"
        for name, table in tables.items():
            entry = TABLES[name]
            columns = {c.name for c in table.columns}
            assert sorted(columns - set(entry.columns)) == [], f"{name}: unclassified columns"
            assert sorted(set(entry.columns) - columns) == [], f"{name}: registry names missing columns"
            assert set(entry.columns.values()) <= set(KINDS), name
            assert entry.erasure.strip(), f"{name}: say what erasure does"
        # The secrets are the ones that open something.
        assert TABLES["users"].columns["password_hash"] == SECRET
        assert TABLES["login_sessions"].columns["token"] == SECRET
        assert TABLES["activation_codes"].columns["code_hash"] == SECRET


def test_the_export_holds_every_row_the_registry_lists_and_no_secret(app, synced):
    ids = _rich_person(app)
    with app.test_request_context():
        person = db.session.get(User, ids["person"])
        data = export_person(person)
        for name, entry in TABLES.items():
            if entry.whose is None:
                continue
            table = db.metadata.tables[name]
            held = db.session.scalar(sa.select(sa.func.count()).select_from(table).where(entry.whose(person)))
            exported = (data[entry.group] if entry.group else data)[entry.key]
            rows = [exported] if name == "users" else exported
            assert len(rows) == held, name
            secrets = {c for c, kind in entry.columns.items() if kind == SECRET}
            for row in rows:
                assert set(entry.columns) - secrets <= set(row), name
                assert not secrets & set(row), name
        text = json.dumps(data, ensure_ascii=False)
        for value in (NAME, PHONE, EMAIL, PRINTED, *SECRETS.values()):
            if value not in (SECRETS["observer"], SECRETS["about_role"]):   # notes by others
                assert value in text, value
        assert SECRETS["observer"] in text   # her own notes as observer
        assert person.password_hash not in text


def test_a_trainee_downloads_their_own_data_from_the_account_page(app, client, synced):
    ids = _rich_person(app)
    sign_in(client, USERNAME)
    account = client.get("/account/sessions").get_data(as_text=True)
    assert 'href="/account/export.json"' in account
    response = client.get("/account/export.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["id"] == ids["person"] and data["account"]["display_name"] == NAME
    assert data["action_plans"][0]["activities"] == SECRETS["rtl"]
    assert "trainee-a1" not in response.get_data(as_text=True)
    # The trainee's own download is not a staff action.
    with app.app_context():
        assert not db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "person.exported"))


# --- erasure leaves nothing -----------------------------------------------------------------

def _text_cells():
    """Every value of every string, text or JSON column of every table, as text."""
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON))]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is not None:
                    yield f"{table.name}.{column.name}", (value if isinstance(value, str)
                                                         else json.dumps(value, ensure_ascii=False))


def test_erasure_leaves_nothing_of_the_person_in_any_table_or_on_disk(app, client, synced):
    ids = _rich_person(app)
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":   # the texts are in the database file itself now
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    sign_in(client, "coord-a")
    token = token_of(client, f"/organisations/{ids['org_a']}")
    assert client.post(f"/organisations/{ids['org_a']}/people/{ids['person']}/erase",
                       data={"csrf_token": token, "understood": "y"}).status_code == 302
    needles = [NAME, USERNAME, PHONE, EMAIL, PRINTED, *SECRETS.values()]
    with app.app_context():
        found = [(where, needle) for where, text in _text_cells() for needle in needles
                 if needle.casefold() in text.casefold()]
        assert found == []
        # What counts stays: the attempt's score, the RTL's state, the ticks, the enrolment.
        attempt = db.session.get(Attempt, ids["attempt"])
        assert attempt.score_points is not None and attempt.answers["0"] == 1
        assert db.session.get(EssayReview, 1).criterion_points == [1, 1]
        assert db.session.get(ActionPlan, ids["plan"]).state == ReviewState.RETURNED
        # Other people's words on the run stay, without her name.
        debrief = db.session.get(RolePlayRun, ids["run"]).debrief_notes["1"]
        assert "berani bicara" in debrief and "Wulandari" not in debrief
        assert audit.verify_chain().ok
        url = db.engine.url
    if url.get_backend_name() != "sqlite":
        return
    files = [Path(url.database), Path(f"{url.database}-wal")]
    for path in files:
        if path.exists():
            content = path.read_bytes()
            left = [n for n in needles if n.encode() in content]
            assert left == [], f"{path.name} still holds {left}"
    assert not files[1].exists() or files[1].stat().st_size == 0, "the write-ahead log was not emptied"


def test_erasure_blanks_typed_answers_but_keeps_right_short_and_numeric_ones(app, synced):
    ids = world(app)
    with app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "kuis-semua-tipe"))
        attempt = attempts.start_or_resume(ids["ta1"], quiz)
        db.session.flush()
        attempts.submit(attempt, {"2": False, "5": "sapa 129", "6": "24,0", "7": "Esai"}, quiz.pass_mark)
        db.session.flush()
        erase_person(db.session.get(User, ids["ta1"]))
        db.session.commit()
        answers = db.session.get(Attempt, attempt.id).answers
        assert answers == {"2": False, "5": "sapa 129", "6": "24,0", "7": "[dihapus]"}


def test_sqlite_overwrites_deleted_content_and_postgresql_logs_no_parameters(app):
    with app.app_context():
        with db.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            else:
                assert conn.exec_driver_sql("SHOW log_parameter_max_length_on_error").scalar() == "0"


def test_statement_parameters_are_hidden_unless_a_developer_shows_them(tmp_path, monkeypatch):
    from lms.config import load_config
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    monkeypatch.setenv("LMS_SHOW_SQL_PARAMETERS", "1")
    assert load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    monkeypatch.setenv("LMS_ENV", "development")
    assert load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is False
    monkeypatch.delenv("LMS_SHOW_SQL_PARAMETERS")
    assert load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True


# --- nothing personal in logs ---------------------------------------------------------------

CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")


def test_a_whole_journey_logs_no_password_code_or_text(app, synced, caplog):
    """Sign in, enrol, redeem a code, answer a quiz with an essay, write an RTL and field
    practice, erase: neither the log records nor the request lines (what an access log
    prints) hold a password, a code or anything the trainee wrote."""
    ids = world(app)
    lines = []

    def request_line(response):
        from flask import request
        lines.append(f"{request.method} {request.full_path} {request.referrer or ''}")
        return response

    app.after_request_funcs.setdefault(None, []).append(request_line)
    caplog.set_level(logging.DEBUG)
    # SQLAlchemy keeps its loggers at WARNING; a developer switching on its statement log
    # must still not see what the trainee typed.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    new_password = "Sandi-Baru-Rahasia-77"
    try:
        staff, trainee = app.test_client(), app.test_client()
        sign_in(staff, "coord-a")
        enrol = f"/cohorts/{ids['cohort_a']}/enrol"
        slip = staff.post(enrol, data={"username": USERNAME, "display_name": NAME,
                                       "csrf_token": token_of(staff, enrol)}).get_data(as_text=True)
        code = CODE.search(slip).group(0)
        activated = trainee.post("/activate", data={
            "username": USERNAME, "code": code, "password": new_password, "confirm": new_password,
            "csrf_token": token_of(trainee, "/activate")})
        assert activated.status_code == 302
        trainee.post("/logout", data={"csrf_token": token_of(trainee, "/learn/")})
        sign_in_page = token_of(trainee, "/login")
        assert trainee.post("/login", data={"username": USERNAME, "password": new_password,
                                            "csrf_token": sign_in_page}).status_code == 302
        essay = "ESAIJOURNEY korban tinggal di gang mawar"
        take(trainee, {"q0": "1", "q5": "PENDEKJOURNEY", "q6": "ANGKAJOURNEY", "q7": essay})
        rtl = f"/cohorts/{ids['cohort_a']}/rtl"
        assert trainee.post(rtl, data={"activities": "RTLJOURNEY", "action": "submit",
                                       "csrf_token": token_of(trainee, rtl)}).status_code == 302
        log = f"/cohorts/{ids['cohort_a']}/practice"
        assert trainee.post(log, data={"done_on": "2026-11-02", "kind": "hotline",
                                       "description": "LAPANGANJOURNEY",
                                       "csrf_token": token_of(trainee, log)}).status_code == 302
        with app.app_context():
            person = db.session.scalar(sa.select(User.id).where(User.username == USERNAME))
        org = f"/organisations/{ids['org_a']}"
        assert staff.get(f"{org}/people/{person}/export.json").status_code == 200
        assert staff.post(f"{org}/people/{person}/erase",
                          data={"csrf_token": token_of(staff, org), "understood": "y"}).status_code == 302
    finally:
        app.after_request_funcs[None].remove(request_line)
    logged = "\n".join(r.getMessage() + " " + repr(getattr(r, "args", "")) for r in caplog.records)
    requests_seen = "\n".join(lines)
    assert len(lines) > 15 and any("INSERT INTO practice_entries" in r.getMessage() for r in caplog.records)
    for secret in (PASSWORD, new_password, code, essay, "PENDEKJOURNEY", "ANGKAJOURNEY",
                   "RTLJOURNEY", "LAPANGANJOURNEY", NAME, PHONE):
        assert secret not in logged, secret
        assert secret not in requests_seen, secret
    assert USERNAME not in requests_seen


# --- audit log ------------------------------------------------------------------------------

def _actions(app, subject_id=None):
    with app.app_context():
        query = sa.select(AuditEntry.action).order_by(AuditEntry.seq)
        if subject_id is not None:
            query = query.where(AuditEntry.subject_id == subject_id)
        return list(db.session.scalars(query))


def test_every_staff_action_on_a_person_is_logged_and_the_chain_verifies(app, client, synced):
    ids = world(app)
    sign_in(client, "coord-a")
    cohort, org = f"/cohorts/{ids['cohort_a']}", f"/organisations/{ids['org_a']}"

    def post(path, page=None, **data):
        response = client.post(path, data={"csrf_token": token_of(client, page or path), **data})
        assert response.status_code in (200, 302), (path, response.status_code)

    post(f"{cohort}/enrol", username="baru-1", display_name="Baru Satu")
    with app.app_context():
        new = db.session.scalar(sa.select(User.id).where(User.username == "baru-1"))
    assert _actions(app, new) == ["enrolment.added", "activation.code_issued"]
    post(f"{cohort}/trainees/{ids['ta1']}/remove", page=cohort)
    post(f"/cohorts/{ids['cohort_a']}/enrol/{ids['ta1']}", page=f"{cohort}/enrol")
    post(f"{cohort}/trainees/{ids['ta2']}/code", page=cohort)
    post(f"{org}/people/{ids['ta2']}/code", page=org, confirmed="yes")   # replaces the code just made
    post(f"{org}/people/{ids['ta2']}/sessions/end", page=org)
    post(org, username="fasil-baru", display_name="Fasil Baru", role="facilitator")
    assert client.get(f"{org}/people/{ids['ta2']}/export.json").status_code == 200
    post(f"{org}/people/{ids['ta1']}/erase", page=org, understood="y")
    roster = "username;display_name\nimpor-1;Impor Satu\n"
    page = client.post(f"{cohort}/import", data={"csrf_token": token_of(client, f"{cohort}/import"),
                                                 "roster": (__import__("io").BytesIO(roster.encode()), "r.csv")})
    content = re.search(r'name="content"[^>]*>([^<]*)<|name="content"[^>]*value="([^"]*)"',
                        page.get_data(as_text=True))
    assert content, "the preview carries the file"
    import html
    post(f"{cohort}/import", page=f"{cohort}/import", content=html.unescape(content.group(1) or content.group(2)))
    assert _actions(app, ids["ta1"]) == ["enrolment.removed", "enrolment.added", "person.erased"]
    assert _actions(app, ids["ta2"]) == ["activation.code_issued", "activation.code_issued",
                                         "sessions.ended", "person.exported"]
    with app.app_context():
        staff_id = db.session.scalar(sa.select(User.id).where(User.username == "fasil-baru"))
        imported = db.session.scalar(sa.select(User.id).where(User.username == "impor-1"))
        entries = list(db.session.scalars(sa.select(AuditEntry)))
        assert {e.actor_id for e in entries} == {ids["coord_a"]}
        assert {e.organisation_id for e in entries} == {ids["org_a"]}
    assert _actions(app, staff_id) == ["account.created", "activation.code_issued"]
    post(f"{cohort}/codes", page=cohort)   # slips for everyone who has not activated yet
    assert _actions(app, imported) == ["enrolment.added", "activation.code_issued"]
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry.data).where(AuditEntry.subject_id == imported,
                                                                  AuditEntry.action == "enrolment.added"))["how"] == "import"
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and f"{len(_actions(app))} entries" in result.output


def test_rtl_and_practice_decisions_are_logged_without_the_comments(app, client):
    ids = world(app)
    with app.app_context():
        plan = ActionPlan(cohort_id=ids["cohort_a"], user_id=ids["ta1"], state=ReviewState.SUBMITTED,
                          activities="Rencana")
        entries = [PracticeEntry(cohort_id=ids["cohort_a"], user_id=ids["ta1"], done_on=dt.date(2026, 11, 2),
                                 kind="hotline", description="Piket") for _ in range(2)]
        db.session.add_all([plan, *entries])
        db.session.commit()
        entry_ids, plan_id = [e.id for e in entries], plan.id
    sign_in(client, "fac-a")
    cohort = f"/cohorts/{ids['cohort_a']}"
    review = f"{cohort}/rtl/{ids['ta1']}"
    assert client.post(review, data={"decision": "return", "comment": "KOMENTARAUDIT Sri",
                                     "csrf_token": token_of(client, review)}).status_code == 302
    mentor = f"{cohort}/practice/{ids['ta1']}"
    assert client.post(f"{cohort}/practice/entries/{entry_ids[0]}/sign",
                       data={"csrf_token": token_of(client, mentor)}).status_code == 302
    assert client.post(f"{cohort}/practice/entries/{entry_ids[1]}/return",
                       data={"comment": "KOMENTARAUDIT lagi", "csrf_token": token_of(client, mentor)}).status_code == 302
    with app.app_context():
        plan = db.session.get(ActionPlan, plan_id)
        plan.state = ReviewState.SUBMITTED
        practice.review_plan(plan, True, "", ids["fac_a"])
        db.session.commit()
        logged = list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq)))
        assert [e.action for e in logged] == ["rtl.returned", "practice.signed", "practice.returned",
                                              "rtl.approved"]
        assert {(e.actor_id, e.subject_id, e.organisation_id) for e in logged} == {
            (ids["fac_a"], ids["ta1"], ids["org_a"])}
        assert "KOMENTARAUDIT" not in json.dumps([e.data for e in logged])
        assert audit.verify_chain().ok


def test_a_coordinator_reads_their_organisations_log_in_words_and_no_other(app, client, synced):
    ids = world(app)
    with app.app_context():
        audit.person_action("sessions.ended", ids["ta1"], ids["coord_a"], ids["org_a"], sessions=2)
        audit.person_action("person.exported", ids["tb1"], ids["coord_b"], ids["org_b"])
        audit.record("certification.rules_changed", "cohort:99", None, {})   # no organisation
        db.session.commit()
    sign_in(client, "coord-a")
    page = client.get(f"/organisations/{ids['org_a']}/audit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Keluar dari semua perangkat" in html and "Trainee-A1" in html and "Coord-A" in html
    assert "Trainee-B1" not in html and "Data diekspor" not in html
    assert client.get(f"/organisations/{ids['org_b']}/audit").status_code == 404
    assert client.get("/audit").status_code == 404
    assert f'href="/organisations/{ids["org_a"]}/audit"' in client.get(f"/organisations/{ids['org_a']}").get_data(as_text=True)
    admin = app.test_client()
    sign_in(admin, "admin")
    everything = admin.get("/audit").get_data(as_text=True)
    assert "Trainee-B1" in everything and "Trainee-A1" in everything and "Aturan sertifikasi diubah" in everything


def test_the_log_pages_newest_first(app, client):
    ids = world(app)
    with app.app_context():
        for _ in range(51):
            audit.person_action("activation.code_issued", ids["ta1"], ids["coord_a"], ids["org_a"])
        audit.person_action("person.exported", ids["ta2"], ids["coord_a"], ids["org_a"])
        db.session.commit()
    sign_in(client, "coord-a")
    first = client.get(f"/organisations/{ids['org_a']}/audit").get_data(as_text=True)
    assert first.index("Data diekspor") < first.index("Kode aktivasi baru") and "#52" in first and "#2<" not in first
    assert "?page=2" in first
    second = client.get(f"/organisations/{ids['org_a']}/audit?page=2").get_data(as_text=True)
    assert "#1<" in second and "#52" not in second and "?page=1" in second


def test_every_action_the_code_logs_has_words():
    from lms.records.audit_log import ACTIONS
    root = Path(__file__).resolve().parent.parent / "lms"
    source = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
    logged = set(re.findall(r'(?:person_action|record|_log)\(\s*"([a-z_]+\.[a-z_]+)"', source))
    for pair in re.findall(r'"([a-z]+\.[a-z_]+)" if [\w .]+ else "([a-z]+\.[a-z_]+)"', source):
        logged |= set(pair)
    assert len(logged) >= 14
    assert sorted(logged - set(ACTIONS)) == []


def test_an_account_made_on_the_command_line_is_logged_with_its_role(app):
    result = app.test_cli_runner().invoke(args=["user", "create", "koor-cli", "--role", "coordinator",
                                                "--password", "kata-sandi-1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry))
        user_id = db.session.scalar(sa.select(User.id).where(User.username == "koor-cli"))
        assert (entry.action, entry.subject_id, entry.actor_id, entry.data["role"]) == (
            "account.created", user_id, None, "coordinator")
