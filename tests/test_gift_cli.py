"""The GIFT commands: import into the content tree, export, and round trip."""
import shutil
from pathlib import Path

import yaml

from tests.conftest import FIXTURE_CONTENT
from tests.helpers import need_shared

GIFT = Path(__file__).parent / "fixtures" / "gift"


def _tree(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def test_import_writes_a_checked_quiz_and_reports_counts(app, tmp_path):
    root = _tree(tmp_path)
    result = app.test_cli_runner().invoke(args=[
        "quiz", "import-gift", str(GIFT / "skipped.gift"), "--slug", "kuis-impor",
        "--title", "Kuis Impor", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "imported 1 questions, skipped 7" in result.output
    assert "skipped: missing-word" in result.output or "skipped:" in result.output
    data = yaml.safe_load((root / "quizzes" / "kuis-impor.yaml").read_text())
    assert data["slug"] == "kuis-impor" and data["title"] == "Kuis Impor" and len(data["questions"]) == 1
    check = app.test_cli_runner().invoke(args=["content", "check", "--root", str(root)])
    assert check.exit_code == 0, check.output


def test_malformed_gift_names_the_line_and_writes_nothing(app, tmp_path):
    root = _tree(tmp_path)
    for name in ("unclosed-brace.gift", "no-correct-answer.gift"):
        result = app.test_cli_runner().invoke(args=[
            "quiz", "import-gift", str(GIFT / name), "--slug", "kuis-rusak", "--root", str(root)])
        assert result.exit_code != 0
        assert f"{name}:4:" in result.output and "nothing was written" in result.output
        assert not (root / "quizzes" / "kuis-rusak.yaml").exists()


def test_import_refuses_to_overwrite_without_force(app, tmp_path):
    root = _tree(tmp_path)
    args = ["quiz", "import-gift", str(GIFT / "all-features.gift"), "--slug", "kuis-modul-1",
            "--root", str(root)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0 and "exists" in result.output


def test_export_then_import_gives_back_the_questions(app, tmp_path):
    root = _tree(tmp_path)
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["quiz", "export-gift", "kuis-semua-tipe", "--root", str(root)])
    assert exported.exit_code == 0
    assert "ordering" in exported.output  # reported: GIFT has no ordering type
    gift_file = tmp_path / "semua.gift"
    gift_file.write_text(exported.stdout)
    imported = runner.invoke(args=["quiz", "import-gift", str(gift_file), "--slug", "kuis-kembali",
                                   "--root", str(root)])
    assert imported.exit_code == 0, imported.output
    original = yaml.safe_load((root / "quizzes" / "kuis-semua-tipe.yaml").read_text())["questions"]
    back = yaml.safe_load((root / "quizzes" / "kuis-kembali.yaml").read_text())["questions"]
    expected = [q for q in original if q["type"] != "ordering"]
    assert [q["type"] for q in back] == [q["type"] for q in expected]
    for before, after in zip(expected, back):
        for key in ("prompt", "answer", "pairs", "answers", "value", "explanation"):
            if key in before:
                assert after.get(key) == before[key], (key, before, after)
        if "options" in before:
            assert [(o["text"], bool(o.get("correct")), o.get("feedback")) for o in after["options"]] == \
                   [(o["text"], bool(o.get("correct")), o.get("feedback")) for o in before["options"]]


def test_moodle_fixture_imports_without_error(app, tmp_path):
    fixture = need_shared("interop/moodle-questions.gift.txt")
    result = app.test_cli_runner().invoke(args=[
        "quiz", "import-gift", str(fixture), "--slug", "moodle", "--out", str(tmp_path / "m.yaml")])
    assert result.exit_code == 0, result.output
    assert "imported 9 questions, skipped 0" in result.output
