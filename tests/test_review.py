"""Essay review and regrading: empty rubric refused, a regrade needs a reason, the earlier score
is kept, the trainee sees the new one, the audit log tells who changed what, and facilitators
stay inside their cohorts. Item analysis: reachable, readable, per cohort."""
import hashlib
import re

import pytest
import sqlalchemy as sa

from lms.assessment import review as review_rules
from lms.assessment.attempts import start_or_resume, submit
from lms.assessment.models import Attempt, AttemptStatus, EssayReview, EssayReviewHistory, Quiz
from lms.core.audit import entries_for, verify_chain
from lms.extensions import db
from tests.conftest import csrf_token
from tests.factories import world

ESSAY_TEXT = "Saya pastikan Sari aman dulu, lalu saya rujuk ke UPTD PPA."


def submit_case(app, user_id, single=1, essay=ESSAY_TEXT):
    """The trainee takes the case analysis (1 point + a 4-point essay, pass mark 50)."""
    with app.app_context():
        case = db.session.scalars(sa.select(Quiz).where(Quiz.slug == "kasus-uji")).one()
        attempt = start_or_resume(user_id, case)
        db.session.flush()
        submit(attempt, {"0": single, "1": essay}, case.pass_mark)
        db.session.commit()
        return attempt.id


def attempt_row(app, aid):
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        db.session.expunge(attempt)
        return attempt


@pytest.fixture
def ids(app, synced):
    return world(app)


def post_review(client, aid, data, index=1):
    path = f"/review/attempts/{aid}/questions/{index}"
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


# --- rules, without HTTP ---------------------------------------------------------------

def test_regrade_keeps_the_earlier_score_rescores_and_writes_the_audit_log(app, ids):
    aid = submit_case(app, ids["ta1"], single=0)
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.module_percents is None          # nothing to keep while the essay waits
        review_rules.grade_essay(attempt, 1, [2, 1], "Cukup baik.", ids["fac_a"])
        # essay 3 of 4, single 0 of 1: 3 of 5 = 60 %, pass mark 50
        assert attempt.status == AttemptStatus.GRADED and attempt.score_percent == 60.0 and attempt.passed
        assert attempt.module_percents == {"modul-2": 60.0}   # both questions are tagged modul-2
        graded_at = attempt.graded_at
        with pytest.raises(review_rules.ReviewRefused) as refused:
            review_rules.grade_essay(attempt, 1, [1, 0], "Cukup baik.", ids["fac_a"], reason="  ")
        assert refused.value.code == "reason"
        with pytest.raises(review_rules.ReviewRefused) as refused:
            review_rules.grade_essay(attempt, 1, [2, 1], "Cukup baik.", ids["fac_a"], reason="Cek ulang")
        assert refused.value.code == "unchanged"
        review_rules.grade_essay(attempt, 1, [1, 0], "Rujukan belum ada.", ids["coord_a"],
                                 reason="Jalur rujukan tidak disebut")
        # 1 of 5 = 20 %: no longer passes (policy.passes with the frozen pass mark)
        assert attempt.score_percent == 20.0 and attempt.passed is False
        assert attempt.module_percents == {"modul-2": 20.0}   # what gain reads follows the regrade
        assert attempt.status == AttemptStatus.GRADED and attempt.graded_at == graded_at
        review = review_rules.review_of(aid, 1)
        assert review.criterion_points == [1, 0] and review.reason == "Jalur rujukan tidak disebut"
        [earlier] = review_rules.history_of(review)
        assert earlier.criterion_points == [2, 1] and earlier.comment == "Cukup baik."
        assert earlier.reviewer_id == ids["fac_a"] and earlier.reason is None

        graded, regraded = entries_for(f"attempt:{aid}")
        assert (graded.action, graded.actor_id) == ("assessment.essay_graded", ids["fac_a"])
        assert graded.data["old_points"] is None and graded.data["new_points"] == 3
        assert (regraded.action, regraded.actor_id) == ("assessment.essay_regraded", ids["coord_a"])
        assert regraded.data == {
            "trainee": ids["ta1"], "quiz": "kasus-uji", "question": 1, "max_points": 4,
            "old_points": 3, "new_points": 1, "old_criteria": [2, 1], "new_criteria": [1, 0],
            "old_percent": 60.0, "new_percent": 20.0, "old_passed": True, "new_passed": False,
            "reason_sha256": hashlib.sha256(b"Jalur rujukan tidak disebut").hexdigest()}
        logged = str([e.data for e in (graded, regraded)])
        assert "Sari aman" not in logged and "Cukup baik" not in logged   # no essay, no comment
        assert verify_chain().ok


def test_a_graded_submission_keeps_its_percent_per_module(app, ids):
    """What a group's learning gain reads, stored with the score: the same numbers as working
    them out from the credits (an empty essay needs no review, so this grades at once)."""
    from lms.assessment.analytics import module_percents
    aid = submit_case(app, ids["ta1"], single=1, essay="")
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.status == AttemptStatus.GRADED and attempt.score_percent == 20.0
        assert attempt.module_percents == {"modul-2": 20.0}
        assert attempt.module_percents == module_percents(attempt.version.definition["questions"], attempt.credits)


def test_rubric_points_must_each_be_chosen_within_range():
    rubric = [{"criterion": "a", "points": 2}, {"criterion": "b", "points": 2}]
    review_rules.check_points(rubric, [0, 2])
    for bad in ([2], [0, 3], [None, 1], [True, 1], [-1, 1]):
        with pytest.raises(review_rules.ReviewRefused):
            review_rules.check_points(rubric, bad)


# --- pages ---------------------------------------------------------------------------

def test_an_empty_rubric_score_is_refused_not_taken_as_zero(app, client, auth, ids):
    aid = submit_case(app, ids["ta1"])
    auth.login("fac-a")
    page = client.get(f"/review/attempts/{aid}/questions/1").get_data(as_text=True)
    # Every criterion starts on "choose a score": nothing is pre-selected.
    selects = re.findall(r'<select name="c\d".*?</select>', page, re.S)
    assert len(selects) == 2 and not any("selected" in s for s in selects)
    response = post_review(client, aid, {"c0": "", "c1": "2", "comment": "Komentar saya"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Keamanan dan persetujuan" in html and "dari 0 sampai 2" in html
    assert "Komentar saya" in html   # what was typed is kept
    assert attempt_row(app, aid).status == AttemptStatus.AWAITING_REVIEW
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EssayReview)) == 0


def test_a_regrade_needs_a_reason_and_keeps_what_was_typed(app, client, auth, ids):
    aid = submit_case(app, ids["ta1"])
    auth.login("fac-a")
    assert post_review(client, aid, {"c0": "2", "c1": "2", "comment": "Bagus."}).status_code == 302
    page = client.get(f"/review/attempts/{aid}/questions/1").get_data(as_text=True)
    assert "Nilai ulang" in page and 'name="reason"' in page
    response = post_review(client, aid, {"c0": "1", "c1": "2", "comment": "Kurang aman."})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Jelaskan mengapa nilainya berubah." in html
    assert "Kurang aman." in html and re.search(r'<option value="1"\s+selected', html)
    with app.app_context():
        assert review_rules.review_of(aid, 1).criterion_points == [2, 2]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EssayReviewHistory)) == 0
    unchanged = post_review(client, aid, {"c0": "2", "c1": "2", "comment": "Bagus.", "reason": "x"})
    assert unchanged.status_code == 400 and "Tidak ada yang berubah" in unchanged.get_data(as_text=True)
    too_long = post_review(client, aid, {"c0": "1", "c1": "2", "comment": "", "reason": "x" * 1001})
    assert too_long.status_code == 400 and "x" * 1001 in too_long.get_data(as_text=True)


def test_the_trainee_sees_the_new_grade_and_the_history_is_kept(app, client, auth, ids):
    aid = submit_case(app, ids["ta1"])
    auth.login("fac-a")
    post_review(client, aid, {"c0": "2", "c1": "2", "comment": "Bagus."})
    assert attempt_row(app, aid).score_percent == 100.0
    response = post_review(client, aid, {"c0": "1", "c1": "0", "comment": "Rujukan belum ada.",
                                         "reason": "Salah baca kriteria rujukan"})
    assert response.status_code == 302 and "tab=graded" in response.headers["Location"]
    page = client.get(f"/review/attempts/{aid}/questions/1").get_data(as_text=True)
    assert "1 nilai sebelumnya" in page and "Bagus." in page and "Salah baca kriteria rujukan" in page
    auth.logout()
    auth.login("trainee-a1")
    html = client.get(f"/quiz/attempts/{aid}/result").get_data(as_text=True)
    # single 1 + essay 1 of 4 = 2 of 5 = 40 %: below the pass mark of 50
    assert "2 dari 5 poin (40%)" in html and "Belum lulus" in html
    assert "Rujukan belum ada." in html and "Bagus." not in html
    assert "Nilai diubah" in html and "Salah baca kriteria rujukan" in html and "nilai sebelumnya: 4 / 4" in html
    with app.app_context():
        [earlier] = db.session.scalars(sa.select(EssayReviewHistory)).all()
        assert earlier.criterion_points == [2, 2] and earlier.comment == "Bagus."


def test_a_facilitator_regrades_only_in_their_cohorts(app, client, auth, ids):
    aid = submit_case(app, ids["ta1"])
    auth.login("fac-a")
    post_review(client, aid, {"c0": "2", "c1": "2"})
    auth.logout()
    path = f"/review/attempts/{aid}/questions/1"
    for outsider in ("fac-b", "fac-none", "coord-b"):
        auth.login(outsider)
        token = csrf_token(client.get("/review/").get_data(as_text=True))
        assert client.get(path).status_code == 404
        response = client.post(path, data={"c0": "0", "c1": "0", "reason": "x", "csrf_token": token})
        assert response.status_code == 404, outsider
        assert path not in client.get("/review/?tab=graded").get_data(as_text=True)
        auth.logout()
    with app.app_context():
        assert review_rules.review_of(aid, 1).criterion_points == [2, 2]


def test_graded_essays_stay_in_the_graded_tab_filterable_by_cohort(app, client, auth, ids):
    a1, b1 = submit_case(app, ids["ta1"]), submit_case(app, ids["tb1"])
    link_a, link_b = f"/review/attempts/{a1}/questions/1", f"/review/attempts/{b1}/questions/1"
    auth.login("admin")
    waiting = client.get("/review/").get_data(as_text=True)
    assert link_a in waiting and link_b in waiting
    post_review(client, a1, {"c0": "2", "c1": "1"})
    post_review(client, b1, {"c0": "1", "c1": "1"})
    assert "/review/attempts/" not in client.get("/review/").get_data(as_text=True)
    graded = client.get("/review/?tab=graded").get_data(as_text=True)
    assert link_a in graded and link_b in graded
    assert "3 / 4" in graded and 'aria-current="page">Sudah dinilai' in graded
    only_b = client.get(f"/review/?tab=graded&cohort={ids['cohort_b']}").get_data(as_text=True)
    assert link_b in only_b and link_a not in only_b
    auth.logout()
    auth.login("fac-a")
    mine = client.get("/review/?tab=graded").get_data(as_text=True)
    assert link_a in mine and link_b not in mine
    assert client.get(f"/review/?tab=graded&cohort={ids['cohort_b']}").status_code == 404


def test_the_graded_tab_pages_through_older_reviews(app, client, auth, ids, monkeypatch):
    from lms.assessment import review_views
    monkeypatch.setattr(review_views, "GRADED_PAGE", 1)
    first, second = submit_case(app, ids["ta1"]), submit_case(app, ids["ta2"])
    auth.login("fac-a")
    post_review(client, first, {"c0": "0", "c1": "0"})
    post_review(client, second, {"c0": "1", "c1": "1"})
    page1 = client.get("/review/?tab=graded").get_data(as_text=True)
    assert f"attempts/{second}/" in page1 and f"attempts/{first}/" not in page1 and "page=2" in page1
    page2 = client.get("/review/?tab=graded&page=2").get_data(as_text=True)
    assert f"attempts/{first}/" in page2 and "Lebih lama" not in page2


# --- item analysis -------------------------------------------------------------------

def grade_all(app, aid, points, reviewer):
    with app.app_context():
        review_rules.grade_essay(db.session.get(Attempt, aid), 1, points, "", reviewer)
        db.session.commit()


def test_item_analysis_is_reachable_from_the_cohort_and_the_quiz(app, client, auth, ids):
    auth.login("fac-a")
    cohort_page = client.get(f"/cohorts/{ids['cohort_a']}").get_data(as_text=True)
    for slug in ("pretest-dasar", "kuis-modul-1", "kasus-uji", "posttest-dasar"):
        assert f"/quiz/{slug}/analysis?cohort={ids['cohort_a']}" in cohort_page, slug
    assert "Analisis butir soal" in client.get("/quiz/kasus-uji").get_data(as_text=True)
    assert "/quiz/kasus-uji/analysis" in client.get("/quiz/kasus-uji").get_data(as_text=True)
    auth.logout()
    auth.login("trainee-a1")
    assert "/analysis" not in client.get("/quiz/kasus-uji").get_data(as_text=True)


def test_item_analysis_reads_as_text_with_type_names_and_module_titles(app, client, auth, ids):
    auth.login("fac-a")
    html = client.get("/quiz/kasus-uji/analysis").get_data(as_text=True)
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)   # the inline stylesheet's class names
    assert "<strong>rencana</strong>" in html and "**" not in html
    assert "Pilihan ganda" in html and "Esai" in html and "essay" not in html
    assert "Modul Uji 2" in html and "modul-2" not in html
    kinds = client.get("/quiz/kuis-semua-tipe/analysis").get_data(as_text=True)
    assert "Benar/Salah" in kinds and "Menjodohkan" in kinds and "Mengurutkan" in kinds
    assert "<table" not in html   # stacked cards: nothing to scroll sideways at 360 px


def test_item_analysis_counts_only_the_chosen_cohort(app, client, auth, ids):
    for user in ("ta1", "ta2", "tb1"):
        grade_all(app, submit_case(app, ids[user]), [2, 2], ids["admin"])
    auth.login("admin")
    everyone = client.get("/quiz/kasus-uji/analysis").get_data(as_text=True)
    assert "3 orang" in everyone
    cohort_a = client.get(f"/quiz/kasus-uji/analysis?cohort={ids['cohort_a']}").get_data(as_text=True)
    assert "2 peserta angkatan ini" in cohort_a and "Angkatan A" in cohort_a
    auth.logout()
    auth.login("fac-a")
    assert "2 orang" in client.get("/quiz/kasus-uji/analysis").get_data(as_text=True)
    assert client.get(f"/quiz/kasus-uji/analysis?cohort={ids['cohort_b']}").status_code == 404


def test_grading_is_filed_under_the_trainee_and_their_organisation(app, ids):
    from lms.core.audit import AuditEntry
    aid = submit_case(app, ids["ta1"])
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        review_rules.grade_essay(attempt, 1, [2, 1], "Cukup baik.", ids["fac_a"])
        review_rules.grade_essay(attempt, 1, [1, 1], "Cukup.", ids["fac_a"], reason="Cek ulang")
        db.session.commit()
        entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.like("assessment.%"))).all()
        assert len(entries) == 2
        assert all(e.subject_id == ids["ta1"] and e.organisation_id == ids["org_a"] for e in entries)
