"""`flask content check` and `flask content sync` on good and broken trees."""
import shutil

import sqlalchemy as sa

from lms.assessment.models import Quiz, QuizVersion
from lms.extensions import db
from lms.learning.models import Module, Track
from lms.roleplays.models import RolePlay
from tests.conftest import FIXTURE_CONTENT


def _copy_fixture(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def _snapshot(app):
    """Every content row as plain tuples, to compare the database before and after."""
    with app.app_context():
        rows = {}
        for model in (Track, Module, Quiz, QuizVersion, RolePlay):
            table = model.__table__
            rows[table.name] = sorted(tuple(map(str, r)) for r in db.session.execute(sa.select(table)))
        return rows


def _break(root):
    """Six kinds of damage, one per file."""
    (root / "modules" / "modul-3.md").write_text("---\nslug: modul-3\ntitle: [tidak ditutup\n---\nIsi\n")
    m2 = root / "modules" / "modul-2.md"
    m2.write_text(m2.read_text().replace("title: Modul Uji 2\n", ""))
    (root / "quizzes" / "pretest-dasar.yaml").write_text(
        (root / "quizzes" / "pretest-dasar.yaml").read_text().replace("type: numeric", "type: isian"))
    m1 = root / "modules" / "modul-1.md"
    m1.write_text(m1.read_text().replace("quiz: kuis-modul-1", "quiz: kuis-hilang"))
    shutil.copy(root / "roleplays" / "rp-uji.md", root / "roleplays" / "rp-salinan.md")
    quiz = root / "quizzes" / "kuis-modul-1.yaml"
    quiz.write_text(quiz.read_text().replace('- {text: "148", feedback', '- {text: "148", correct: true, feedback'))
    return {"modules/modul-3.md", "modules/modul-2.md", "quizzes/pretest-dasar.yaml",
            "modules/modul-1.md", "roleplays/rp-salinan.md", "quizzes/kuis-modul-1.yaml"}


def test_check_passes_on_the_fixture_tree(app):
    result = app.test_cli_runner().invoke(args=["content", "check", "--root", str(FIXTURE_CONTENT)])
    assert result.exit_code == 0, result.output
    assert "content OK" in result.output


def test_check_names_every_broken_file_and_exits_nonzero(app, tmp_path):
    root = _copy_fixture(tmp_path)
    bad_files = _break(root)
    result = app.test_cli_runner().invoke(args=["content", "check", "--root", str(root)])
    assert result.exit_code != 0
    for name in bad_files:
        assert f"{name}:" in result.output, name
    # Each problem line is "path:line: message".
    problem_lines = [line for line in result.output.splitlines() if line.split(":", 1)[0] in bad_files]
    assert all(line.split(":")[1].isdigit() for line in problem_lines)


def test_sync_of_a_broken_tree_leaves_the_database_exactly_as_it_was(app, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "sync", "--root", str(FIXTURE_CONTENT)]).exit_code == 0
    before = _snapshot(app)
    root = _copy_fixture(tmp_path)
    _break(root)
    (root / "modules" / "modul-baru.md").write_text(
        "---\nslug: modul-baru\ntitle: Baru\ntrack: dasar\norder: 9\nobjectives: [x]\n---\nIsi\n")
    result = runner.invoke(args=["content", "sync", "--root", str(root)])
    assert result.exit_code != 0 and "not changed" in result.output
    assert _snapshot(app) == before


def test_sync_is_idempotent_and_reports_changes(app, tmp_path):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["content", "sync", "--root", str(FIXTURE_CONTENT)])
    assert "added 3 modules" in first.output and "added 5 quizzes" in first.output
    before = _snapshot(app)
    second = runner.invoke(args=["content", "sync", "--root", str(FIXTURE_CONTENT)])
    lines = second.output.splitlines()
    assert second.exit_code == 0
    assert not [line for line in lines if line.startswith(("added", "changed", "retired"))], lines
    assert "unchanged: 10" in lines
    assert _snapshot(app) == before


def test_sync_retires_removed_content_and_records_new_quiz_versions(app, tmp_path):
    runner = app.test_cli_runner()
    root = _copy_fixture(tmp_path)
    runner.invoke(args=["content", "sync", "--root", str(root)])
    (root / "modules" / "modul-3.md").unlink()
    quiz = root / "quizzes" / "kuis-modul-1.yaml"
    quiz.write_text(quiz.read_text().replace("Berapa nomor layanan SAPA?", "Nomor SAPA?"))
    result = runner.invoke(args=["content", "sync", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "retired 1 modules: modul-3" in result.output
    assert "changed 1 quizzes: kuis-modul-1" in result.output
    with app.app_context():
        module = db.session.scalar(sa.select(Module).where(Module.slug == "modul-3"))
        assert module is not None and module.retired_at is not None
        versions = db.session.scalars(sa.select(QuizVersion).where(
            QuizVersion.quiz_slug == "kuis-modul-1")).all()
        prompts = sorted(v.definition["questions"][0]["prompt"] for v in versions)
        assert prompts == ["Berapa nomor layanan SAPA?", "Nomor SAPA?"]
    # Bringing the file back un-retires it.
    shutil.copy(FIXTURE_CONTENT / "modules" / "modul-3.md", root / "modules" / "modul-3.md")
    assert "changed 1 modules: modul-3" in runner.invoke(args=["content", "sync", "--root", str(root)]).output


def test_sync_renders_sanitised_html_once(app):
    app.test_cli_runner().invoke(args=["content", "sync", "--root", str(FIXTURE_CONTENT)])
    with app.app_context():
        module = db.session.scalar(sa.select(Module).where(Module.slug == "modul-1"))
        assert "<strong>teks tebal</strong>" in module.body_html
        assert "<script" not in module.body_html
        rp = db.session.scalar(sa.select(RolePlay))
        assert rp.roles[0]["secret_html"] == "<p>Pasangan ikut mendengar.</p>"


def test_demo_command_is_idempotent(app):
    from lms.accounts.models import User
    from lms.cohorts.models import Cohort, Enrollment
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        counts = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (User, Cohort, Enrollment)]
        assert counts == [15, 1, 12]
        roles = dict(db.session.execute(sa.select(User.username, User.role)).all())
        assert roles == {"admin": "admin", "coordinator1": "coordinator", "facilitator1": "facilitator",
                         **{f"trainee{n}": "trainee" for n in range(1, 13)}}
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        assert [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (User, Cohort, Enrollment)] == counts
