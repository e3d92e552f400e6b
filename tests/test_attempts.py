"""Taking quizzes end to end through HTTP: drafts, submit once, results, review, access."""
import sqlalchemy as sa

from lms.accounts.models import Organisation, Role
from lms.assessment.models import Attempt, AttemptStatus
from lms.cohorts.models import Cohort, CohortFacilitator, Enrollment
from lms.extensions import db
from tests.conftest import csrf_token

ALL_RIGHT = {"q0": "1", "q1": ["0", "1"], "q2": "false", "q3_0": "1", "q3_1": "2", "q3_2": "3",
             "q3_3": "4", "q4_0": "0", "q4_1": "1", "q4_2": "2", "q5": " sapa  129 ", "q6": "24",
             "q7": "Pertama saya menilai keamanan korban dan meminta persetujuannya."}


def start(client, slug="kuis-semua-tipe"):
    page = client.get(f"/quiz/{slug}")
    response = client.post(f"/quiz/{slug}/start", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def post_page(client, location, answers, action):
    page = client.get(location)
    token = csrf_token(page.get_data(as_text=True))
    # "submit" here means submitted as it is: the blank-question check has its own test.
    confirm = {"confirm_unanswered": "1"} if action == "submit" else {}
    return client.post(location, data={**answers, "action": action, "csrf_token": token, **confirm})


def attempt_id(location: str) -> int:
    return int(location.split("/attempts/")[1].split("?")[0].split("/")[0])


def take(client, answers=ALL_RIGHT, slug="kuis-semua-tipe"):
    """Start, fill page 1, go next, submit on page 2. Returns the attempt id."""
    location = start(client, slug)
    post_page(client, location, answers, "next")
    aid = attempt_id(location)
    response = post_page(client, f"/quiz/attempts/{aid}?page=2", answers, "submit")
    assert response.headers["Location"] == f"/quiz/attempts/{aid}/result?new=1"
    return aid


def get_attempt(app, aid):
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        db.session.expunge(attempt)
        return attempt


def cohort_with(app, trainees, facilitators):
    """An organisation and cohort with these user ids enrolled and facilitating."""
    with app.app_context():
        org = Organisation(name="Org Uji")
        db.session.add(org)
        db.session.flush()
        cohort = Cohort(organisation_id=org.id, name="Angkatan Uji", track_slug="dasar")
        db.session.add(cohort)
        db.session.flush()
        db.session.add_all([Enrollment(cohort_id=cohort.id, user_id=u) for u in trainees])
        db.session.add_all([CohortFacilitator(cohort_id=cohort.id, user_id=u) for u in facilitators])
        db.session.commit()
        return cohort.id


def test_every_type_is_answered_graded_and_explained(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    aid = take(client)
    attempt = get_attempt(app, aid)
    assert attempt.status == AttemptStatus.AWAITING_REVIEW  # the essay waits for a facilitator
    assert attempt.credits == {"0": 1.0, "1": 1.0, "2": 1.0, "3": 1.0, "4": 1.0, "5": 1.0,
                               "6": 1.0, "7": None}
    html = client.get(f"/quiz/attempts/{aid}/result").get_data(as_text=True)
    assert "Menunggu penilaian" in html
    assert "Benar, LPSK." in html          # option feedback of the chosen option
    assert "1x24 jam." in html              # explanation
    assert html.count('class="card question right"') == 7


def test_wrong_answers_show_the_right_answer_and_partial_credit(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    answers = {**ALL_RIGHT, "q0": "0", "q1": ["0", "2"], "q3_0": "2", "q3_1": "1", "q7": ""}
    aid = take(client, answers)
    attempt = get_attempt(app, aid)
    # single wrong 0, multiple (1-1)/2=0, ordering 2 of 4 right = .5; essay empty = 0
    assert attempt.credits["0"] == 0.0 and attempt.credits["1"] == 0.0 and attempt.credits["3"] == 0.5
    assert attempt.status == AttemptStatus.GRADED
    # credits 0, 0, 1, .5, 1, 1, 1, 0 on points 1,1,1,1,1,1,1,4: 4.5 of 11 = 40.9 %
    assert attempt.score_points == 4.5 and attempt.max_points == 11.0 and attempt.score_percent == 40.9
    assert attempt.passed is False  # pass mark 60
    html = client.get(f"/quiz/attempts/{aid}/result").get_data(as_text=True)
    assert "Jawaban benar" in html and "Itu SAPA." in html and "Satpol PP bukan lembaga pengaduan." in html


def test_drafts_are_kept_and_the_open_attempt_resumes(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    location = start(client)
    post_page(client, location, {"q0": "1", "q2": "false"}, "save")
    # Coming back later (a new tap on Start) resumes the same attempt with the drafts.
    again = start(client)
    assert attempt_id(again) == attempt_id(location)
    html = client.get(again).get_data(as_text=True)
    assert 'name="q0" value="1" checked' in html and 'name="q2" value="false" checked' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_submitting_twice_finishes_once(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    aid = take(client)
    token = csrf_token(client.get("/quiz/kuis-semua-tipe").get_data(as_text=True))
    again = client.post(f"/quiz/attempts/{aid}?page=2", data={**ALL_RIGHT, "q0": "0",
                                                              "action": "submit", "csrf_token": token,
                                                              "confirm_unanswered": "1"})
    assert again.headers["Location"] == f"/quiz/attempts/{aid}/result"
    attempt = get_attempt(app, aid)
    assert attempt.credits["0"] == 1.0  # the late resubmission changed nothing
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_max_attempts_is_enforced_and_the_best_attempt_counts(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    take(client, {**ALL_RIGHT, "q7": ""})                       # 7/11
    take(client, {**ALL_RIGHT, "q0": "0", "q7": ""})            # 6/11
    page = client.get("/quiz/kuis-semua-tipe").get_data(as_text=True)
    assert "Anda sudah memakai semua kesempatan" in page
    assert "Nilai terbaik: 63,6%" in page
    refused = client.post("/quiz/kuis-semua-tipe/start", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 302 and refused.headers["Location"] == "/quiz/kuis-semua-tipe"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 2


def test_nobody_else_sees_an_attempt(app, client, auth, make_user, synced):
    t1 = make_user("trainee1")
    make_user("trainee2")
    make_user("facil-lain", role=Role.FACILITATOR)
    mine = make_user("facil1", role=Role.FACILITATOR)
    cohort_with(app, [t1.id], [mine.id])
    auth.login()
    aid = take(client)
    auth.logout()
    for username in ("trainee2", "facil-lain"):
        auth.login(username)
        assert client.get(f"/quiz/attempts/{aid}").status_code == 404
        assert client.get(f"/quiz/attempts/{aid}/result").status_code == 404
        assert client.get(f"/review/attempts/{aid}/questions/7").status_code == 404
        auth.logout()
    auth.login("facil1")
    assert client.get(f"/quiz/attempts/{aid}/result").status_code == 200
    assert client.get(f"/quiz/attempts/{aid}").status_code == 404  # only the owner answers


def test_case_analysis_goes_through_facilitator_review(app, client, auth, make_user, synced):
    t1 = make_user("trainee1")
    f1 = make_user("facil1", role=Role.FACILITATOR)
    cohort_with(app, [t1.id], [f1.id])
    auth.login()
    landing = client.get("/quiz/kasus-uji").get_data(as_text=True)
    assert "<strong>Sari</strong> ditangkap" in landing   # the case narrative comes first
    location = start(client, "kasus-uji")
    assert "<strong>Sari</strong> ditangkap" in client.get(location).get_data(as_text=True)
    aid = attempt_id(location)
    post_page(client, location, {"q0": "1", "q1": "Saya pastikan Sari aman dulu."}, "submit")
    auth.logout()

    auth.login("facil1")
    queue = client.get("/review/").get_data(as_text=True)
    assert f"/review/attempts/{aid}/questions/1" in queue
    form_page = client.get(f"/review/attempts/{aid}/questions/1").get_data(as_text=True)
    assert "Saya pastikan Sari aman dulu." in form_page
    bad = client.post(f"/review/attempts/{aid}/questions/1",
                      data={"c0": "9", "c1": "1", "csrf_token": csrf_token(form_page)})
    assert bad.status_code == 400 and "dari 0 sampai 2" in bad.get_data(as_text=True)
    assert get_attempt(app, aid).status == AttemptStatus.AWAITING_REVIEW
    ok = client.post(f"/review/attempts/{aid}/questions/1",
                     data={"c0": "2", "c1": "1", "comment": "Bagus, tambahkan rujukan ke UPTD PPA.",
                           "csrf_token": csrf_token(form_page)})
    assert ok.status_code == 302
    assert f"/review/attempts/{aid}/questions/1" not in client.get("/review/").get_data(as_text=True)
    auth.logout()

    attempt = get_attempt(app, aid)
    # single 1 point + essay 3 of 4 = 4 of 5 = 80 %
    assert attempt.status == AttemptStatus.GRADED and attempt.score_percent == 80.0 and attempt.passed
    auth.login()
    html = client.get(f"/quiz/attempts/{aid}/result").get_data(as_text=True)
    assert "Bagus, tambahkan rujukan ke UPTD PPA." in html and "80%" in html


def test_trainees_cannot_open_the_review_queue(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    assert client.get("/review/").status_code == 404


def test_scores_and_attempt_numbers_read_as_people_read_them(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    aid = take(client, {**ALL_RIGHT, "q7": ""})                 # 7 of 11 points
    result = client.get(f"/quiz/attempts/{aid}/result").get_data(as_text=True)
    assert "7 dari 11 poin (63,6%)" in result and "Percobaan 1 dari 2" in result
    landing = client.get("/quiz/kuis-semua-tipe").get_data(as_text=True)
    assert "Percobaan 1 dari 2" in landing and "63,6%" in landing
    location = start(client, "kuis-semua-tipe")
    assert "Percobaan 2 dari 2" in client.get(location).get_data(as_text=True)


def test_model_answers_stay_hidden_until_the_case_is_graded(app, client, auth, make_user, synced):
    import yaml

    from tests.conftest import FIXTURE_CONTENT
    case = yaml.safe_load((FIXTURE_CONTENT / "quizzes" / "kasus-uji.yaml").read_text())
    explanations = [q["explanation"] for q in case["questions"] if q.get("explanation")]
    t1 = make_user("trainee1")
    f1 = make_user("facil1", role=Role.FACILITATOR)
    cohort_with(app, [t1.id], [f1.id])
    auth.login()
    location = start(client, "kasus-uji")
    aid = attempt_id(location)
    post_page(client, location, {"q0": "1", "q1": "Saya pastikan Sari aman dulu."}, "submit")
    waiting = client.get(f"/quiz/attempts/{aid}/result").get_data(as_text=True)
    assert explanations and not any(e.split(".")[0] in waiting for e in explanations)
    auth.logout()
    auth.login("facil1")
    path = f"/review/attempts/{aid}/questions/1"
    token = csrf_token(client.get(path).get_data(as_text=True))
    scores = {f"c{i}": "0" for i in range(5)}
    assert client.post(path, data={**scores, "comment": "", "csrf_token": token}).status_code == 302
    auth.logout()
    auth.login()
    graded = client.get(f"/quiz/attempts/{aid}/result").get_data(as_text=True)
    assert all(e.split(".")[0] in graded for e in explanations)


def test_submitting_with_blank_questions_asks_first_and_keeps_the_answers(app, client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    location = start(client, "kuis-semua-tipe")
    aid = attempt_id(location)
    page = client.get(location).get_data(as_text=True)
    asked = client.post(f"/quiz/attempts/{aid}?page=1", data={"q0": "0", "action": "submit",
                                                               "csrf_token": csrf_token(page)})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Ada soal yang belum dijawab" in html
    assert get_attempt(app, aid).is_open and get_attempt(app, aid).answers.get("0") == 0
    assert "Soal 2" in html and "Soal 1<" not in html   # question 1 was answered
    done = client.post(f"/quiz/attempts/{aid}/submit", data={"csrf_token": csrf_token(html)})
    assert done.headers["Location"] == f"/quiz/attempts/{aid}/result?new=1"
    assert not get_attempt(app, aid).is_open and get_attempt(app, aid).answers.get("0") == 0
