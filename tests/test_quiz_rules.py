"""Pre/post-test gates, frozen attempts across re-syncs, query counts of quiz pages."""
import shutil

import sqlalchemy as sa
import yaml

from lms.assessment.models import Attempt
from lms.content.loader import load_curriculum
from lms.content.sync import sync_curriculum
from lms.extensions import db
from tests.conftest import FIXTURE_CONTENT, csrf_token
from tests.helpers import count_queries
from tests.test_attempts import attempt_id, get_attempt, post_page, start


def resync(app, root):
    with app.app_context():
        curriculum = load_curriculum(root)
        assert curriculum.ok, curriculum.problems
        sync_curriculum(curriculum)
        db.session.commit()


def read_module(client, slug):
    page = client.get(f"/learn/modules/{slug}")
    client.post(f"/learn/modules/{slug}/read", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_pretest_is_open_at_once_and_taken_only_once(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    location = start(client, "pretest-dasar")
    post_page(client, location, {"q0": "true", "q1": "24"}, "submit")
    page = client.get("/quiz/pretest-dasar").get_data(as_text=True)
    assert "Anda sudah memakai semua kesempatan" in page
    client.post("/quiz/pretest-dasar/start", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_posttest_opens_when_required_modules_are_complete(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    page = client.get("/quiz/posttest-dasar").get_data(as_text=True)
    assert "Post-test terbuka setelah" in page and "Modul Uji 1" in page
    refused = client.post("/quiz/posttest-dasar/start", data={"csrf_token": csrf_token(page)})
    assert refused.headers["Location"] == "/quiz/posttest-dasar"
    # Module 1 needs its quiz passed, module 2 its case graded, module 3 only reading.
    for slug in ("modul-1", "modul-2", "modul-3"):
        read_module(client, slug)
    location = start(client, "kuis-modul-1")
    post_page(client, location, {"q0": "0", "q1": "false"}, "submit")      # 129 + false: 100 %
    location = start(client, "kasus-uji")
    post_page(client, location, {"q0": "1"}, "submit")                     # essay left empty: 20 %
    assert "Post-test terbuka setelah" in client.get("/quiz/posttest-dasar").get_data(as_text=True)
    location = start(client, "kasus-uji")
    post_page(client, location, {"q0": "1", "q1": ""}, "submit")
    with app.app_context():
        # Make the case pass as a facilitator would have graded it.
        db.session.execute(sa.update(Attempt).where(Attempt.quiz_slug == "kasus-uji").values(passed=True))
        db.session.commit()
    page = client.get("/quiz/posttest-dasar").get_data(as_text=True)
    assert "Post-test terbuka setelah" not in page and 'name="start"' in page


def test_a_resync_never_changes_a_past_attempt(app, client, auth, make_user, synced, tmp_path):
    make_user("trainee1")
    auth.login()
    location = start(client, "kuis-modul-1")
    aid = attempt_id(location)
    post_page(client, location, {"q0": "0", "q1": "false"}, "submit")
    before = get_attempt(app, aid)
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    quiz = root / "quizzes" / "kuis-modul-1.yaml"
    quiz.write_text(quiz.read_text().replace("Berapa nomor layanan SAPA?", "Nomor hotline LPSK?")
                    .replace('{text: "129", correct: true', '{text: "129"')
                    .replace('{text: "148", feedback', '{text: "148", correct: true, feedback'))
    resync(app, root)
    after = get_attempt(app, aid)
    assert (after.score_percent, after.credits, after.quiz_version_id) == \
        (before.score_percent, before.credits, before.quiz_version_id)
    html = client.get(f"/quiz/attempts/{aid}/result").get_data(as_text=True)
    assert "Berapa nomor layanan SAPA?" in html and "Nomor hotline LPSK?" not in html
    # A new attempt gets the new version.
    new = start(client, "kuis-modul-1")
    assert "Nomor hotline LPSK?" in client.get(new).get_data(as_text=True)


def test_shuffled_layout_is_frozen_per_attempt(app, client, auth, make_user, synced, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    quiz = root / "quizzes" / "kuis-semua-tipe.yaml"
    quiz.write_text(quiz.read_text().replace("max_attempts: 2", "max_attempts: 0\nshuffle: true"))
    resync(app, root)
    make_user("trainee1")
    auth.login()
    location = start(client, "kuis-semua-tipe")
    layout = get_attempt(app, attempt_id(location)).layout
    assert sorted(layout["questions"]) == list(range(8))
    first = client.get(location).get_data(as_text=True)
    assert client.get(location).get_data(as_text=True) == first  # same order on every visit
    # Answers are kept by source index, so grading is independent of the shown order.
    post_page(client, location, {"q0": "1"}, "save")
    saved = get_attempt(app, attempt_id(location)).answers
    assert set(saved) == {str(i) for i in layout["questions"][:5]}
    assert saved.get("0") == (1 if 0 in layout["questions"][:5] else None)


def _quiz_tree(tmp_path, n):
    root = tmp_path / f"q{n}"
    shutil.copytree(FIXTURE_CONTENT, root)
    questions = []
    for i in range(n):
        question = {"type": "single" if i % 2 else "matching", "prompt": f"Soal {i}",
                    "module": "modul-1", "explanation": f"Penjelasan {i}"}
        if i % 2:
            question["options"] = [{"text": "a", "correct": True, "feedback": "ya"}, {"text": "b"}]
        else:
            question["pairs"] = [["a", "1"], ["b", "2"], ["c", "3"]]
        questions.append(question)
    (root / "quizzes" / "kuis-besar.yaml").write_text(yaml.safe_dump(
        {"slug": "kuis-besar", "title": "Besar", "shuffle": True, "questions": questions}))
    return root


def test_quiz_query_counts_do_not_grow_with_questions(app, client, auth, make_user, synced, tmp_path):
    make_user("trainee1")
    auth.login()
    counts = []
    for n in (4, 40):
        resync(app, _quiz_tree(tmp_path, n))
        location = start(client, "kuis-besar")
        token = csrf_token(client.get(location).get_data(as_text=True))
        aid = attempt_id(location)
        answers = {f"q{i}": "0" for i in range(n)}
        with count_queries(app) as render:
            client.get(location)
        with count_queries(app) as submit:
            client.post(location, data={**answers, "action": "submit", "csrf_token": token, "confirm_unanswered": "1"})
        with count_queries(app) as result:
            assert client.get(f"/quiz/attempts/{aid}/result").status_code == 200
        counts.append((len(render), len(submit), len(result)))
    assert counts[0] == counts[1], counts


def _options_tree(tmp_path):
    root = tmp_path / "opsi"
    shutil.copytree(FIXTURE_CONTENT, root)
    options = [{"text": f"Pilihan {c}", "correct": c == "A"} for c in "ABCDEF"]
    fixed = [{"text": "Lapor polisi", "correct": False}, {"text": "Rujuk ke UPTD PPA", "correct": False},
             {"text": "Semua benar", "correct": True}]
    (root / "quizzes" / "kuis-opsi.yaml").write_text(yaml.safe_dump({
        "slug": "kuis-opsi", "title": "Opsi", "questions": [
            {"type": "single", "prompt": "Acak", "options": options},
            {"type": "single", "prompt": "Tetap", "shuffle": False, "options": fixed}]}))
    return root


def test_options_are_shown_in_a_different_order_from_one_attempt_to_the_next(
        app, client, auth, make_user, synced, tmp_path):
    import re
    resync(app, _options_tree(tmp_path))
    make_user("trainee1")
    auth.login()
    orders, kept = set(), set()
    for _ in range(4):
        location = start(client, "kuis-opsi")
        html = client.get(location).get_data(as_text=True)
        orders.add(tuple(re.findall(r"Pilihan ([A-F])", html)))
        kept.add(tuple(re.findall(r"(Lapor polisi|Rujuk ke UPTD PPA|Semua benar)", html)))
        post_page(client, location, {"q0": "0", "q1": "2"}, "submit")
    assert all(sorted(order) == list("ABCDEF") for order in orders)
    assert len(orders) > 1          # 4 attempts in one order by chance: 1 in 720^3
    assert kept == {("Lapor polisi", "Rujuk ke UPTD PPA", "Semua benar")}  # `shuffle: false`
