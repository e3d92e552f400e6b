"""The structure the features rest on: one commit per request, content kinds registered by
their domains, `origin` on content rows, and each rule in one place."""
import shutil
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import abort

from lms import create_app
from lms.accounts.models import Organisation, Role, is_manager, is_staff
from lms.accounts.person_fields import (
    display_name_problems,
    email_problems,
    password_problems,
    phone_problems,
    username_problems,
)
from lms.assessment.analytics import gain_band
from lms.assessment.models import AttemptStatus
from lms.assessment.policy import Counting, attempt_limit, counting_attempt, may_start_another, passes
from lms.content import kinds
from lms.content.fields import Fields
from lms.content.loader import load_curriculum
from lms.content.models import Origin
from lms.content.parsing import own_slug, read_yaml
from lms.content.sync import sync_curriculum
from lms.core.transaction import committing, keep_changes
from lms.extensions import db
from lms.roleplays.models import RolePlay
from tests.conftest import FIXTURE_CONTENT

# --- one commit per request --------------------------------------------------------------

@pytest.fixture
def hook_app(app):
    """A second app on the same database, with routes that write and then succeed or fail."""
    config = {key: app.config[key] for key in (
        "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "LMS_CONTENT_DIR", "ARGON2_TIME_COST",
        "ARGON2_MEMORY_COST")}
    test_app = create_app({**config, "TESTING": True, "WTF_CSRF_ENABLED": False,
                           "INSTANCE_PATH": app.instance_path})

    def add(name):
        db.session.add(Organisation(name=name))
        db.session.flush()

    @test_app.post("/t/ok")
    def ok():
        add("ok")
        return "saved"

    @test_app.post("/t/status")
    def error_status():
        add("status")
        return "refused", 400

    @test_app.post("/t/abort")
    def aborted():
        add("abort")
        abort(404)

    @test_app.post("/t/raise")
    def raised():
        add("raise")
        raise RuntimeError("boom")

    @test_app.post("/t/keep")
    def kept():
        add("keep")
        keep_changes()
        return "counted", 401

    @test_app.post("/t/duplicate")
    def duplicate():
        add("ok")  # the unique name already exists: the commit fails
        return "saved"
    return test_app


def _names(app):
    with app.app_context():
        return set(db.session.scalars(sa.select(Organisation.name)))


def test_a_successful_request_is_committed_once_by_the_hook(hook_app, app):
    assert hook_app.test_client().post("/t/ok").status_code == 200
    assert _names(app) == {"ok"}


@pytest.mark.parametrize("path, status", [("/t/status", 400), ("/t/abort", 404), ("/t/raise", 500)])
def test_a_failing_request_leaves_nothing_behind(hook_app, app, path, status):
    hook_app.config["PROPAGATE_EXCEPTIONS"] = False
    assert hook_app.test_client().post(path).status_code == status
    assert _names(app) == set()


def test_an_error_response_keeps_its_write_only_when_it_says_so(hook_app, app):
    assert hook_app.test_client().post("/t/keep").status_code == 401
    assert _names(app) == {"keep"}


def test_a_commit_that_fails_is_rolled_back_and_reported_as_already_saved(hook_app, app):
    client = hook_app.test_client()
    client.post("/t/ok")
    response = client.post("/t/duplicate", headers={"Referer": "/learn/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/learn/")
    assert _names(app) == {"ok"}


def test_commands_commit_all_or_nothing(app):
    with app.app_context():
        with pytest.raises(RuntimeError), committing():
            db.session.add(Organisation(name="half"))
            db.session.flush()
            raise RuntimeError("stop")
        with committing():
            db.session.add(Organisation(name="whole"))
    assert _names(app) == {"whole"}


def test_no_view_or_rule_commits_by_itself():
    """Only the request hook and `committing()` commit (tests of the rule above)."""
    from lms.config import REPO_ROOT
    offenders = [str(path.relative_to(REPO_ROOT)) for path in (REPO_ROOT / "lms").rglob("*.py")
                 if "session.commit()" in path.read_text() and path.name != "transaction.py"]
    assert offenders == []


# --- content kinds registered by their domains -------------------------------------------

@dataclass
class Term:
    slug: str
    title: str
    see: str | None
    path: str = ""
    content_hash: str = ""


def _parse_glossary(source, report):
    data = read_yaml(source.text, report)
    fields = Fields(data, report)
    fields.check_keys(("slug", "title"), ("slug", "title", "see"))
    slug = own_slug(fields, "term")
    see = fields.slug("see")
    if see:
        report.ref(fields.line("see"), "module", see, "see")
    return [Term(slug, fields.text("title", True, ""), see, source.path, source.content_hash)] if slug else []


@pytest.fixture
def glossary_kind():
    synced = []
    kinds.register(kinds.ContentKind(
        name="glossary", noun="term", label="term", folder="glossary", patterns=("*.yaml",),
        parse=_parse_glossary, sync=lambda items, report: synced.append(sorted(items)),
        position=50))
    yield synced
    kinds.unregister("glossary")


def test_a_domain_registers_a_content_kind_that_is_loaded_checked_and_synced(
        app, tmp_path, glossary_kind):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    (root / "glossary").mkdir()
    (root / "glossary" / "visum.yaml").write_text("slug: visum\ntitle: Visum\nsee: modul-1\n")
    (root / "glossary" / "bap.yaml").write_text("slug: bap\ntitle: BAP\nsee: modul-9\n")
    curriculum = load_curriculum(root)
    assert set(curriculum.glossary) == {"visum", "bap"}
    assert [str(p) for p in curriculum.problems] == [
        "glossary/bap.yaml:3: module `modul-9` not found: create modules/modul-9.md or fix the slug"]
    (root / "glossary" / "bap.yaml").write_text("slug: bap\ntitle: BAP\n")
    curriculum = load_curriculum(root)
    assert curriculum.ok, curriculum.problems
    with app.app_context():
        sync_curriculum(curriculum)
        db.session.rollback()
    assert glossary_kind == [["bap", "visum"]]


def test_without_the_kind_its_folder_is_not_read(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    (root / "glossary").mkdir()
    (root / "glossary" / "broken.yaml").write_text("slug: [\n")
    curriculum = load_curriculum(root)
    assert curriculum.ok and "glossary" not in curriculum.items


# --- origin: sync leaves authored rows alone ---------------------------------------------

def _authored(slug):
    return RolePlay(slug=slug, title="Milik organisasi", origin=Origin.AUTHORED, source_path="",
                    content_hash="x", roles=[], observer_checklist=[], debrief=[], objectives=[])


def test_sync_never_retires_or_overwrites_an_authored_row(app, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    with app.app_context():
        db.session.add_all([_authored("rp-milik-kami"), _authored("rp-uji")])
        db.session.commit()
        report = sync_curriculum(load_curriculum(root))
        db.session.commit()
        rows = {r.slug: r for r in db.session.scalars(sa.select(RolePlay))}
    assert rows["rp-milik-kami"].retired_at is None and rows["rp-milik-kami"].origin == Origin.AUTHORED
    # A file claiming an authored slug is skipped and reported, the authored row untouched.
    assert rows["rp-uji"].title == "Milik organisasi"
    assert report.conflicts == {"role-plays": ["rp-uji"]}
    assert any("authored in the browser" in line for line in report.lines())


def test_rows_synced_from_files_are_marked_and_retired_when_their_file_goes(app, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    with app.app_context():
        sync_curriculum(load_curriculum(root))
        db.session.commit()
        assert db.session.scalar(sa.select(RolePlay.origin).where(RolePlay.slug == "rp-uji")) == Origin.FILE
        text = (root / "modules" / "modul-1.md").read_text().replace("roleplays: [rp-uji]\n", "")
        (root / "modules" / "modul-1.md").write_text(text)
        (root / "roleplays" / "rp-uji.md").unlink()
        report = sync_curriculum(load_curriculum(root))
        db.session.commit()
        assert report.retired.get("role-plays") == ["rp-uji"]


# --- each rule once ------------------------------------------------------------------------

def _quiz(kind="quiz", max_attempts=0):
    return SimpleNamespace(kind=kind, max_attempts=max_attempts)


@pytest.mark.parametrize("kind, max_attempts, limit", [
    ("quiz", 0, 0), ("quiz", 3, 3), ("case", 2, 2), ("pretest", 0, 1), ("posttest", 5, 1)])
def test_attempt_limit(kind, max_attempts, limit):
    assert attempt_limit(_quiz(kind, max_attempts)) == limit


def test_may_start_another():
    assert may_start_another(_quiz(max_attempts=0), 40)
    assert may_start_another(_quiz(max_attempts=2), 1)
    assert not may_start_another(_quiz(max_attempts=2), 2)
    assert not may_start_another(_quiz("posttest"), 1)


def test_passes_at_the_pass_mark_not_below():
    assert passes(70, 70) and passes(70.01, 70) and not passes(69.99, 70)


def _attempt(number, percent, status=AttemptStatus.GRADED, passed=None):
    return SimpleNamespace(number=number, score_percent=percent, status=status,
                           passed=(percent or 0) >= 70 if passed is None else passed)


def test_which_attempt_counts_is_a_named_policy():
    first, best, waiting = _attempt(1, 40), _attempt(2, 90), _attempt(3, None, AttemptStatus.AWAITING_REVIEW)
    attempts = [first, best, waiting]
    assert counting_attempt(attempts, Counting.BEST) is best
    assert counting_attempt(attempts, Counting.FIRST_GRADED) is first
    # A passed attempt under an older, lower pass mark stands even if a later one scored more.
    early_pass, later_fail = _attempt(1, 60, passed=True), _attempt(2, 65, passed=False)
    assert counting_attempt([early_pass, later_fail], Counting.ANY_PASSED) is early_pass
    assert counting_attempt([waiting], Counting.BEST) is None


@pytest.mark.parametrize("g, band", [(None, None), (-0.2, "low"), (0.29, "low"), (0.3, "medium"),
                                     (0.69, "medium"), (0.7, "high"), (1.0, "high")])
def test_learning_gain_bands(g, band):
    assert gain_band(g) == band


@pytest.mark.parametrize("role, staff, manager", [
    (Role.TRAINEE, False, False), (Role.FACILITATOR, True, False),
    (Role.COORDINATOR, True, True), (Role.ADMIN, True, True)])
def test_staff_and_manager_checks(role, staff, manager):
    person = SimpleNamespace(role=role)
    assert (is_staff(person), is_manager(person)) == (staff, manager)
    assert not is_staff(SimpleNamespace())  # an anonymous visitor has no role


def test_the_staff_check_is_a_template_global(app):
    with app.app_context():
        assert app.jinja_env.globals["is_staff"] is is_staff


def test_person_field_rules(app):
    with app.test_request_context():
        assert username_problems("sari.dewi") == []
        assert username_problems("Sari Dewi") and username_problems("") and username_problems("ab")
        assert display_name_problems("Mawar") == [] and display_name_problems("")
        assert display_name_problems("x" * 121)
        assert phone_problems("0812-3456-7890") == [] and phone_problems("6.28123E+11")
        assert phone_problems("12345")
        assert email_problems("nama@contoh.org") == [] and email_problems("nama@contoh")
        assert password_problems("panjang-sekali") == [] and password_problems("pendek")
        assert password_problems("x" * 257)


def test_forms_and_the_roster_refuse_the_same_usernames(app):
    """The enrolment form and the CSV roster use one rule, so they agree on every value."""
    from lms.cohorts.forms import EnrolForm
    from lms.cohorts.roster import parse_roster
    for value in ("sari.dewi", "Sari Dewi", "ab", "x" * 65, "-awal"):
        with app.test_request_context(method="POST", data={
                "username": value, "display_name": "Sari"}):
            app.config["WTF_CSRF_ENABLED"] = False
            try:
                form = EnrolForm()
                form_ok = form.validate()
            finally:
                app.config["WTF_CSRF_ENABLED"] = True
            preview = parse_roster(f"username,display_name\n{value},Sari\n".encode())
        assert form_ok == preview.ok, value


def test_the_migrations_build_exactly_the_schema_the_models_describe(app):
    """Alembic's autogenerate finds nothing to change after `db upgrade` (the suite's schema)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
