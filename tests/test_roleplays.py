"""Role-plays authored, versioned, imported/exported and run live: the rules behind the pages
and the pages themselves (secrets, access, query counts, page weight)."""
import re
import shutil

import pytest
import sqlalchemy as sa

from lms.cohorts.models import Cohort
from lms.content.loader import load_curriculum
from lms.content.sync import sync_curriculum
from lms.extensions import db
from lms.records.facts import cohort_facts
from lms.records.matrix import build_matrix, matrix_csv_rows
from lms.records.privacy import erase_person, export_person
from lms.roleplays import authoring, runs
from lms.roleplays.content import parse_roleplay
from lms.roleplays.models import RolePlay, RolePlayRun, RolePlayVersion, RunObservation, RunParticipant
from tests.conftest import FIXTURE_CONTENT, REPO_ROOT, csrf_token
from tests.factories import make_person, world
from tests.helpers import compressed_page_weight, count_queries
from tests.test_cohorts import sign_in, token_of

BUDGET = 30 * 1024
SHIPPED = sorted((REPO_ROOT / "roleplays").glob("rp-*.md"))


def _form(**over):
    data = {"title": "Telepon Tengah Malam", "module": "modul-1", "duration_minutes": "30",
            "objectives": "Menanyakan keamanan\nMenjelaskan kerahasiaan",
            "scenario": "## Skenario\n\nTelepon berdering pukul 23.00.",
            "observer_checklist": "Menanyakan keamanan\nMenjelaskan kerahasiaan", "debrief": "Apa yang sulit?",
            "roles-0-name": "Penelepon", "roles-0-brief": "Menelepon hotline.", "roles-0-secret": "RAHASIA-PENELEPON",
            "roles-1-name": "Paralegal", "roles-1-brief": "Menjawab.", "roles-1-secret": "RAHASIA-PARALEGAL"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


# --- the form is checked like a file -------------------------------------------------------

def test_a_good_form_gives_the_role_play(app, synced):
    with app.test_request_context():
        checked = authoring.check_form(authoring.read_form(_form()))
    assert checked.errors == {}
    assert [r.name for r in checked.roleplay.roles] == ["Penelepon", "Paralegal"]
    assert checked.roleplay.objectives == ["Menanyakan keamanan", "Menjelaskan kerahasiaan"]


@pytest.mark.parametrize("over, field, words", [
    ({"title": "  "}, "title", "empty"),
    ({"roles-1-name": "", "roles-1-brief": "", "roles-1-secret": ""}, "roles", "at least 2 roles"),
    ({"roles-1-name": "penelepon"}, "roles-1-name", "same name as role 1"),
    ({"roles-1-brief": ""}, "roles-1-brief", "empty"),
    ({"observer_checklist": "\n  \n"}, "observer_checklist", "at least one item"),
    ({"duration_minutes": "lama"}, "duration_minutes", "whole number"),
    ({"duration_minutes": "0"}, "duration_minutes", "whole number"),
    ({"scenario": "  \n"}, "scenario", "scenario is empty"),
    ({"module": "tidak-ada"}, "module", "does not exist"),
])
def test_form_problems_are_named_beside_their_field_in_english(app, synced, over, field, words):
    with app.test_request_context("/?lang=en"):
        from flask import session
        session["lang"] = "en"
        checked = authoring.check_form(authoring.read_form(_form(**over)))
    assert checked.roleplay is None
    assert list(checked.errors) == [field], checked.errors
    assert words in checked.errors[field][0]


def test_form_problems_are_in_indonesian_by_default(app, synced):
    with app.test_request_context():
        checked = authoring.check_form(authoring.read_form(_form(title="")))
    assert checked.errors["title"] == ["Kolom ini kosong: tulis isinya di sini."]


def test_roles_are_added_moved_and_removed_without_javascript():
    data = {"roles": [{"name": "A", "brief": "", "secret": ""}, {"name": "B", "brief": "", "secret": ""}]}
    assert authoring.apply_action(data, "add-role") and len(data["roles"]) == 3
    assert authoring.apply_action(data, "up-role-1") and [r["name"] for r in data["roles"]] == ["B", "A", ""]
    assert authoring.apply_action(data, "down-role-0") and [r["name"] for r in data["roles"]] == ["A", "B", ""]
    assert authoring.apply_action(data, "remove-role-0") and [r["name"] for r in data["roles"]] == ["B", ""]
    assert not authoring.apply_action(data, "remove-role-9") and not authoring.apply_action(data, "save")


def test_blank_role_rows_are_dropped_and_order_follows_the_numbers():
    data = authoring.read_form({"roles-5-name": "Kedua", "roles-5-brief": "b", "roles-2-name": "Pertama",
                                "roles-2-brief": "a", "roles-7-name": "", "roles-7-brief": " "})
    assert [r["name"] for r in data["roles"]] == ["Pertama", "Kedua"]


# --- import and export ---------------------------------------------------------------------

@pytest.fixture
def shipped_tree(app, tmp_path):
    """The shipped curriculum synced (modules the role-plays point at must exist)."""
    curriculum = load_curriculum(REPO_ROOT)
    assert curriculum.ok, curriculum.problems[:3]
    with app.app_context():
        sync_curriculum(curriculum)
        db.session.commit()
    return curriculum


def _front(text):
    from lms.content.fields import FileReport
    from lms.content.parsing import SourceFile, front_matter
    split, node = front_matter(SourceFile("x.md", "x", text, ""), FileReport("x.md"))
    return dict(node), split.body.strip()


def test_every_shipped_role_play_round_trips_through_import_and_export(app, shipped_tree, tmp_path):
    """Imported into a database holding the shipped modules (their role-play rows removed, so
    the slugs are free), exported again: the same front matter and scenario, and the exported
    files pass `content check` in place of the shipped ones."""
    runner = app.test_cli_runner()
    with app.app_context():
        from tests.factories import make_org
        org_id = make_org("Org Impor").id
        db.session.execute(sa.delete(RolePlay))
        db.session.commit()
    tree = tmp_path / "tree"
    for folder in ("modules", "quizzes"):
        shutil.copytree(REPO_ROOT / folder, tree / folder)
    (tree / "roleplays").mkdir()
    assert SHIPPED, "no shipped role-plays found"
    for path in SHIPPED:
        imported = runner.invoke(args=["roleplay", "import", str(path), "--org", str(org_id)])
        assert imported.exit_code == 0, imported.output
        slug = imported.output.strip().splitlines()[-1]
        exported = runner.invoke(args=["roleplay", "export", slug])
        assert exported.exit_code == 0, exported.output
        original, original_body = _front(path.read_text(encoding="utf-8"))
        again, again_body = _front(exported.output)
        assert slug == path.stem
        assert again == original and again_body == original_body
        (tree / "roleplays" / f"{path.stem}.md").write_text(exported.output, encoding="utf-8")
    checked = runner.invoke(args=["content", "check", "--root", str(tree)])
    assert checked.exit_code == 0, checked.output
    with app.app_context():
        rows = db.session.scalars(sa.select(RolePlay).where(RolePlay.organisation_id == org_id)).all()
        assert len(rows) == len(SHIPPED) and all(r.published and r.authored for r in rows)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RolePlayVersion)) == len(SHIPPED)


def test_an_import_whose_slug_is_taken_gets_a_new_one(app, synced):
    from tests.factories import make_org
    with app.app_context():
        org_id = make_org().id
        db.session.commit()
    path = FIXTURE_CONTENT / "roleplays" / "rp-uji.md"
    runner = app.test_cli_runner()
    first = runner.invoke(args=["roleplay", "import", str(path), "--org", str(org_id)])
    second = runner.invoke(args=["roleplay", "import", str(path), "--org", str(org_id)])
    assert (first.output.strip(), second.output.strip()) == ("rp-uji-2", "rp-uji-3")
    exported = runner.invoke(args=["roleplay", "export", "rp-uji-2"]).output
    front, body = _front(exported)
    original, original_body = _front(path.read_text(encoding="utf-8"))
    assert front.pop("slug") == "rp-uji-2" and original.pop("slug") == "rp-uji"
    assert front == original and body == original_body


def test_an_import_keeps_a_free_slug(app, synced):
    from tests.factories import make_org
    with app.app_context():
        org_id = make_org().id
        db.session.commit()
    text = (FIXTURE_CONTENT / "roleplays" / "rp-uji.md").read_text(encoding="utf-8").replace(
        "slug: rp-uji", "slug: rp-baru")
    with app.app_context():
        rp, problems = authoring.import_file("rp-baru.md", text.encode(), org_id, None)
        assert problems == [] and rp.slug == "rp-baru"


@pytest.mark.parametrize("text, expected", [
    ("---\nslug: rp-x\ntitle: X\nroles:\n  - {name: A, brief: a}\nobserver_checklist: [a]\ndebrief: [b]\n---\n\nIsi.\n",
     "rp-x.md:4: a role-play needs at least 2 roles, this one has 1"),
    ("---\nslug: rp-x\ntitle: X\nmodule: tidak-ada\nroles:\n  - {name: A, brief: a}\n  - {name: B, brief: b}\n"
     "observer_checklist: [a]\ndebrief: [b]\n---\n\nIsi.\n", "rp-x.md:4: module `tidak-ada` not found"),
    ("slug: rp-x\n", "rp-x.md:1: front matter missing"),
    ("---\nslug: rp-x\ntitle: X\nroles:\n  - {name: A, brief: a}\n  - {name: B, brief: b}\n"
     "observer_checklist: [a]\ndebrief: [b]\n---\n\n", "rp-x.md:9: the scenario below the front matter is empty"),
])
def test_a_bad_file_is_refused_with_file_line_problem_fix_and_nothing_saved(app, synced, tmp_path, text, expected):
    from tests.factories import make_org
    with app.app_context():
        org_id = make_org().id
        db.session.commit()
    path = tmp_path / "rp-x.md"
    path.write_text(text, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["roleplay", "import", str(path), "--org", str(org_id)])
    assert result.exit_code == 1
    assert expected in result.output and ": " in result.output.split(expected)[1]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RolePlay).where(
            RolePlay.organisation_id == org_id)) == 0


def test_export_of_a_shipped_role_play_is_the_file_format(app, synced):
    result = app.test_cli_runner().invoke(args=["roleplay", "export", "rp-uji"])
    assert result.exit_code == 0
    front, body = _front(result.output)
    assert front["slug"] == "rp-uji" and front["roles"][0]["secret"] == "Pasangan ikut mendengar."
    assert body == "## Skenario\n\nSeseorang menelepon hotline."
    with app.app_context():
        source = __import__("lms.content.parsing", fromlist=["SourceFile"]).SourceFile(
            "roleplays/rp-uji.md", "rp-uji", result.output, "")
        from lms.content.fields import FileReport
        report = FileReport("roleplays/rp-uji.md")
        assert parse_roleplay(source, report) and report.problems == []


# --- versions ------------------------------------------------------------------------------

def _scene(app):
    """World plus a published role-play of org A duplicated from rp-uji."""
    ids = world(app)
    with app.app_context():
        shipped = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == "rp-uji"))
        own = authoring.duplicate(shipped, ids["org_a"], ids["fac_a"])
        authoring.publish(own, ids["fac_a"])
        db.session.commit()
        ids["rp"] = own.slug
    return ids


def test_editing_after_a_run_leaves_the_run_unchanged(app, synced):
    ids = _scene(app)
    with app.app_context():
        rp = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == ids["rp"]))
        cohort = db.session.get(Cohort, ids["cohort_a"])
        version = authoring.ensure_version(rp, None)
        run = runs.start_run(cohort, version, [ids["ta1"], ids["ta2"]], groups=1)
        runs.go_live(run)
        db.session.commit()
        run_id, first = run.id, version.number
    with app.test_request_context():
        rp = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == ids["rp"]))
        data = authoring.read_form({**_form(), "roles-0-secret": "RAHASIA BARU", "module": ""})
        new = authoring.save_authored(rp, authoring.check_form(data, rp.slug).roleplay, ids["fac_a"])
        db.session.commit()
        assert new.number == first + 1
    with app.app_context():
        run = db.session.get(RolePlayRun, run_id)
        assert run.version.number == first
        assert "Pasangan ikut mendengar." in run.version.roles[0]["secret_html"]
        assert "RAHASIA BARU" not in str(run.version.roles)
        assert [v.number for v in db.session.scalars(sa.select(RolePlayVersion).where(
            RolePlayVersion.roleplay_id == run.version.roleplay_id).order_by(RolePlayVersion.number))] == [1, 2]


def test_a_draft_cannot_be_run_and_shipped_ones_are_read_only(app, synced):
    ids = world(app)
    with app.app_context():
        shipped = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == "rp-uji"))
        draft = authoring.duplicate(shipped, ids["org_a"], None)
        assert not draft.published and not runs.runnable(draft, ids["org_a"])
        assert runs.runnable(shipped, ids["org_a"])
        authoring.publish(draft, None)
        assert runs.runnable(draft, ids["org_a"]) and not runs.runnable(draft, ids["org_b"])
        with pytest.raises(ValueError):
            authoring.save_authored(shipped, parse_roleplay.__class__ and None, None)


def test_versions_history_page_lists_every_version(app, client, synced):
    ids = _scene(app)
    sign_in(client, "fac-a")
    token = token_of(client, f"/roleplays/{ids['rp']}/edit")
    assert client.post(f"/roleplays/{ids['rp']}/edit", data={**_form(module=""), "csrf_token": token}).status_code == 302
    page = client.get(f"/roleplays/{ids['rp']}/versions").get_data(as_text=True)
    assert re.search(r"<td[^>]*>2</td>", page) and re.search(r"<td[^>]*>1</td>", page)


# --- personal data -------------------------------------------------------------------------

def test_personal_data_is_named_with_field_and_match(app, synced):
    ids = world(app)
    source = {"title": "Kasus", "scenario": "Hubungi 0812-3456-7890 atau sapa@contoh.org; SAPA 129, "
                                             "WA 08111-129-129, LPSK 0857-7001-0048.",
              "roles": [{"name": "Korban", "brief": "NIK 3201234567890123", "secret": "Trainee-A1 tahu."}],
              "objectives": [], "observer_checklist": ["Hubungi 021-555-1234"], "debrief": []}
    with app.app_context():
        author = db.session.get(__import__("lms.accounts.models", fromlist=["User"]).User, ids["fac_a"])
        warnings = authoring.personal_data_warnings(source, authoring.trainee_names(author))
    found = [(field, f.kind, f.match) for field, f in warnings]
    assert ("scenario", "phone", "0812-3456-7890") in found
    assert ("scenario", "email", "sapa@contoh.org") in found
    assert ("roles-0-brief", "nik", "3201234567890123") in found
    assert ("roles-0-secret", "name", "Trainee-A1") in found
    assert ("observer_checklist", "phone", "021-555-1234") in found
    assert not any(m in ("129", "08111-129-129", "0857-7001-0048") for _f, _k, m in found)
    assert len(found) == 5


def test_publishing_warns_about_personal_data_until_confirmed(app, client, synced):
    ids = world(app)
    sign_in(client, "fac-a")
    token = token_of(client, "/roleplays/new")
    created = client.post("/roleplays/new", data={**_form(**{"roles-0-secret": "Namamu Trainee-A2, WA 0813 1111 2222"}),
                                                  "csrf_token": token})
    assert created.status_code == 302
    slug = created.headers["Location"].split("/")[-2]
    refused = client.post(f"/roleplays/{slug}/publish", data={"csrf_token": token})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Peran 1, kartu rahasia" in body and "0813 1111 2222" in body and "Trainee-A2" in body
    with app.app_context():
        assert db.session.scalar(sa.select(RolePlay.published_at).where(RolePlay.slug == slug)) is None
    done = client.post(f"/roleplays/{slug}/publish", data={"csrf_token": token, "confirm_no_personal_data": "1"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(RolePlay.published_at).where(RolePlay.slug == slug)) is not None
    assert ids


def test_a_bad_form_saves_nothing_and_shows_the_message_beside_the_field(app, client, synced):
    world(app)
    sign_in(client, "fac-a")
    token = token_of(client, "/roleplays/new")
    response = client.post("/roleplays/new", data={**_form(**{"roles-1-name": "Penelepon"}), "csrf_token": token})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    field = body.split('id="roles-1-name"')[1].split("</div>")[0]
    assert "Peran 2 memakai nama yang sama dengan peran 1" in field
    assert 'value="RAHASIA-PARALEGAL"' in body or "RAHASIA-PARALEGAL</textarea>" in body   # nothing lost
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RolePlay)) == 1


def test_other_organisations_never_see_an_authored_role_play(app, client, synced):
    ids = _scene(app)
    sign_in(client, "coord-b")
    assert client.get(f"/roleplays/{ids['rp']}").status_code == 404
    assert ids["rp"] not in client.get("/roleplays/").get_data(as_text=True)
    with app.app_context():
        runnable = [r.slug for r in runs.runnable_roleplays(ids["org_b"])]
    assert runnable == ["rp-uji"]


# --- runs ----------------------------------------------------------------------------------

def _live_run(app, ids, people, groups=1, method=runs.BY_HAND, arrange=None):
    with app.app_context():
        rp = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == ids["rp"]))
        run = runs.start_run(db.session.get(Cohort, ids["cohort_a"]), authoring.ensure_version(rp, None),
                             people, groups=groups, method=method)
        if arrange:
            runs.rearrange(run, arrange)
        runs.go_live(run)
        db.session.commit()
        return run.id


def test_each_trainee_sees_only_their_own_secret(app, synced):
    ids = _scene(app)
    with app.app_context():
        org = db.session.get(__import__("lms.accounts.models", fromlist=["Organisation"]).Organisation, ids["org_a"])
        t3 = make_person("trainee-a3", org=org)
        db.session.add(__import__("lms.cohorts.models", fromlist=["Enrollment"]).Enrollment(
            cohort_id=ids["cohort_a"], user_id=t3.id))
        db.session.commit()
        ids["ta3"] = t3.id
    run_id = _live_run(app, ids, [ids["ta1"], ids["ta2"], ids["ta3"]],
                       arrange={ids["ta1"]: (1, "Penelepon"), ids["ta2"]: (1, "Paralegal"), ids["ta3"]: (1, None)})
    secrets = {"Penelepon": "Pasangan ikut mendengar.", "Paralegal": "Ini hari pertama Anda."}
    for username, own in (("trainee-a1", "Penelepon"), ("trainee-a2", "Paralegal"), ("trainee-a3", None)):
        client = app.test_client()
        sign_in(client, username)
        page = client.get(f"/roleplay-runs/{run_id}")
        body = page.get_data(as_text=True)
        assert page.status_code == 200
        for role, secret in secrets.items():
            assert (secret in body) == (role == own), (username, role)
        assert "Menelepon hotline." in body and "Menjawab telepon." in body   # every public brief
        assert ("Menjelaskan kerahasiaan" in body) == (own is None)          # the checklist
        assert compressed_page_weight(client, f"/roleplay-runs/{run_id}") < BUDGET
        assert f"/roleplay-runs/{run_id}" in client.get("/learn/").get_data(as_text=True)
    outsider = app.test_client()
    sign_in(outsider, "trainee-b1")
    assert outsider.get(f"/roleplay-runs/{run_id}").status_code == 404


def test_trainees_see_nothing_while_the_run_is_set_up(app, client, synced):
    ids = _scene(app)
    with app.app_context():
        rp = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == ids["rp"]))
        run = runs.start_run(db.session.get(Cohort, ids["cohort_a"]), authoring.ensure_version(rp, None),
                             [ids["ta1"], ids["ta2"]], groups=1)
        db.session.commit()
        run_id = run.id
    sign_in(client, "trainee-a1")
    body = client.get(f"/roleplay-runs/{run_id}").get_data(as_text=True)
    assert "Pasangan ikut mendengar." not in body and "Ini hari pertama Anda." not in body


def test_an_observer_ticks_and_the_facilitator_sees_it_then_debriefs_and_ends(app, synced):
    ids = _scene(app)
    run_id = _live_run(app, ids, [ids["ta1"], ids["ta2"]], arrange={ids["ta1"]: (1, None), ids["ta2"]: (1, "Penelepon")})
    trainee = app.test_client()
    sign_in(trainee, "trainee-a1")
    token = token_of(trainee, f"/roleplay-runs/{run_id}")
    assert trainee.post(f"/roleplay-runs/{run_id}/observe", data={
        "csrf_token": token, "tick": ["0", "7"], "note-0": "Suara pelan, bagus."}).status_code == 302
    staff = app.test_client()
    sign_in(staff, "fac-a")
    page = staff.get(f"/cohorts/{ids['cohort_a']}/roleplay-runs/{run_id}").get_data(as_text=True)
    assert "Suara pelan, bagus." in page and "1 centang" in page
    token = token_of(staff, f"/cohorts/{ids['cohort_a']}/roleplay-runs/{run_id}")
    assert staff.post(f"/cohorts/{ids['cohort_a']}/roleplay-runs/{run_id}/debrief",
                      data={"csrf_token": token, "group": "1", "notes": "Keamanan ditanyakan."}).status_code == 302
    assert staff.post(f"/cohorts/{ids['cohort_a']}/roleplay-runs/{run_id}/end", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        run = db.session.get(RolePlayRun, run_id)
        assert run.state == "ended" and run.debrief_notes == {"1": "Keamanan ditanyakan."}
        observation = db.session.scalar(sa.select(RunObservation))
        assert observation.ticks == [0] and observation.notes == {"Penelepon": "Suara pelan, bagus."}
        facts = cohort_facts(db.session.get(Cohort, ids["cohort_a"]))
        assert [t.roleplays_taken for t in facts.trainees] == [1, 1]
        rows = matrix_csv_rows(build_matrix(db.session.get(Cohort, ids["cohort_a"])))
        assert rows[0][-2] == "Ikut bermain peran" and [r[-2] for r in rows[1:]] == ["1", "1"]
    late = trainee.post(f"/roleplay-runs/{run_id}/observe", data={"csrf_token": token_of(trainee, f"/roleplay-runs/{run_id}"), "tick": "0"})
    assert late.status_code == 303


def test_the_facilitator_moves_people_before_the_start_only(app, synced):
    ids = _scene(app)
    with app.app_context():
        rp = db.session.scalar(sa.select(RolePlay).where(RolePlay.slug == ids["rp"]))
        run = runs.start_run(db.session.get(Cohort, ids["cohort_a"]), authoring.ensure_version(rp, None),
                             [ids["ta1"], ids["ta2"]], groups=1, method=runs.BY_HAND)
        with pytest.raises(runs.RunError):
            runs.rearrange(run, {ids["ta1"]: (1, "Penelepon"), ids["ta2"]: (1, "Penelepon")})
        runs.rearrange(run, {ids["ta1"]: (2, "Penelepon"), ids["ta2"]: (1, "Penelepon")})
        assert run.group_count == 2
        runs.go_live(run)
        with pytest.raises(runs.RunError):
            runs.rearrange(run, {ids["ta1"]: (1, None)})


def test_the_run_page_makes_the_same_queries_for_any_number_of_groups(app, synced):
    ids = _scene(app)
    counts = {}
    for groups in (1, 6):
        with app.app_context():
            org = db.session.get(__import__("lms.accounts.models", fromlist=["Organisation"]).Organisation, ids["org_a"])
            people = [make_person(f"g{groups}-{i}", org=org) for i in range(groups * 3)]
            for p in people:
                db.session.add(__import__("lms.cohorts.models", fromlist=["Enrollment"]).Enrollment(
                    cohort_id=ids["cohort_a"], user_id=p.id))
            db.session.commit()
            ids_ = [p.id for p in people]
        run_id = _live_run(app, ids, ids_, groups=groups, method=runs.RANDOM)
        with app.app_context():   # a player and an observer of the run
            observer = db.session.scalar(sa.select(RunParticipant).where(
                RunParticipant.run_id == run_id, RunParticipant.role_name.is_(None)))
            first = db.session.scalar(sa.select(RunParticipant).where(
                RunParticipant.run_id == run_id, RunParticipant.role_name.is_not(None))).user.username
            watcher = observer.user.username
        staff, trainee = app.test_client(), app.test_client()
        sign_in(staff, "fac-a")
        sign_in(trainee, first)
        with count_queries(app) as manage:
            assert staff.get(f"/cohorts/{ids['cohort_a']}/roleplay-runs/{run_id}").status_code == 200
        with count_queries(app) as mine:
            assert trainee.get(f"/roleplay-runs/{run_id}").status_code == 200
        observing = app.test_client()
        sign_in(observing, watcher)
        with count_queries(app) as watching:
            assert observing.get(f"/roleplay-runs/{run_id}").status_code == 200
        counts[groups] = (len(manage), len(mine), len(watching))
    assert counts[1] == counts[6], counts


def test_starting_a_run_in_the_browser_picks_who_was_present(app, client, synced):
    import datetime as dt

    from lms.cohorts.models import Attendance, TrainingSession
    ids = _scene(app)
    with app.app_context():
        session = TrainingSession(cohort_id=ids["cohort_a"], held_on=dt.date(2026, 12, 1), topic="Hotline")
        db.session.add(session)
        db.session.flush()
        db.session.add(Attendance(session_id=session.id, user_id=ids["ta1"], status="present"))
        db.session.add(Attendance(session_id=session.id, user_id=ids["ta2"], status="absent"))
        db.session.commit()
        session_id = session.id
    sign_in(client, "fac-a")
    page = client.get(f"/cohorts/{ids['cohort_a']}/roleplay-runs/new?session_id={session_id}").get_data(as_text=True)
    assert re.search(rf'value="{ids["ta1"]}" checked', page) and not re.search(rf'value="{ids["ta2"]}" checked', page)
    token = csrf_token(page)
    created = client.post(f"/cohorts/{ids['cohort_a']}/roleplay-runs/new", data={
        "csrf_token": token, "session_id": session_id, "roleplay": ids["rp"], "people": [ids["ta1"], ids["ta2"]],
        "split": "size", "number": "2", "assign": "balanced"})
    assert created.status_code == 302
    with app.app_context():
        run = db.session.scalar(sa.select(RolePlayRun))
        assert run.session_id == session_id and run.state == "setup"
        assert sorted(p.role_name for p in runs.participants_of(run.id)) == ["Paralegal", "Penelepon"]
    bad = client.post(f"/cohorts/{ids['cohort_a']}/roleplay-runs/new", data={
        "csrf_token": token, "roleplay": "rp-tidak-ada", "number": "x"})
    assert bad.status_code == 400


def test_cli_run_prints_the_run_and_one_line_per_participant(app, synced):
    ids = world(app)
    result = app.test_cli_runner().invoke(args=["roleplay", "run", str(ids["cohort_a"]), "rp-uji", "--groups", "1",
                                                "--assign", "balanced"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    run_id = int(re.fullmatch(r"run (\d+)", lines[0]).group(1))
    rows = [line.split(",") for line in lines[1:]]
    assert sorted(r[0] for r in rows) == ["trainee-a1", "trainee-a2"]
    assert all(r[1] == "1" for r in rows) and sorted(r[2] for r in rows) == ["Paralegal", "Penelepon"]
    with app.app_context():
        assert db.session.get(RolePlayRun, run_id).state == "live"
    again = app.test_cli_runner().invoke(args=["roleplay", "run", str(ids["cohort_a"]), "rp-uji", "--groups", "3"])
    roles = [line.split(",")[2] for line in again.output.strip().splitlines()[1:]]
    assert len(roles) == 2 and all(r != "observer" for r in roles)
    bad = app.test_cli_runner().invoke(args=["roleplay", "run", str(ids["cohort_a"]), "tidak-ada", "--groups", "1"])
    assert bad.exit_code != 0


def test_cli_run_with_more_people_than_roles_prints_observers(app, synced):
    ids = world(app)
    with app.app_context():
        org = db.session.get(__import__("lms.accounts.models", fromlist=["Organisation"]).Organisation, ids["org_a"])
        extra = make_person("trainee-a3", org=org)
        db.session.add(__import__("lms.cohorts.models", fromlist=["Enrollment"]).Enrollment(
            cohort_id=ids["cohort_a"], user_id=extra.id))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["roleplay", "run", str(ids["cohort_a"]), "rp-uji", "--groups", "1"])
    assert sorted(line.split(",")[2] for line in result.output.strip().splitlines()[1:]) == [
        "Paralegal", "Penelepon", "observer"]


def test_a_person_export_holds_their_runs_and_erasure_blanks_their_notes(app, synced):
    ids = _scene(app)
    run_id = _live_run(app, ids, [ids["ta1"], ids["ta2"]], arrange={ids["ta1"]: (1, None), ids["ta2"]: (1, "Penelepon")})
    with app.app_context():
        run = db.session.get(RolePlayRun, run_id)
        me = db.session.scalar(sa.select(RunParticipant).where(RunParticipant.user_id == ids["ta1"]))
        runs.save_observation(run, me, [0], {"Penelepon": "Catatan tentang Trainee-A2"})
        user = db.session.get(__import__("lms.accounts.models", fromlist=["User"]).User, ids["ta1"])
        data = export_person(user)
        assert data["roleplay_runs"][0]["run_id"] == run_id and data["roleplay_observations"][0]["ticks"] == [0]
        erase_person(user)
        db.session.commit()
        observation = db.session.scalar(sa.select(RunObservation))
        assert observation.notes == {} and observation.ticks == [0]
