"""Learning gain pages for a trainee and for a cohort, from real attempts."""
from lms.accounts.models import Role
from lms.assessment.attempts import start_or_resume, submit
from lms.assessment.models import Quiz
from lms.extensions import db
from tests.factories import make_cohort, make_org, make_person


def _take(user_id, slug, answers):
    quiz = db.session.query(Quiz).filter_by(slug=slug).one()
    attempt = start_or_resume(user_id, quiz)
    db.session.flush()
    submit(attempt, answers, quiz.pass_mark)


def test_gain_per_module_for_the_trainee_and_the_cohort(app, client, auth, synced):
    with app.app_context():
        org = make_org()
        trainee = make_person("trainee1", org=org)
        facilitator = make_person("facil1", Role.FACILITATOR, org)
        cohort = make_cohort(org, trainees=[trainee], facilitators=[facilitator])
        # Pre: modul-1 wrong, modul-2 right (50 %); post: both right (100 %).
        _take(trainee.id, "pretest-dasar", {"0": False, "1": "24"})
        _take(trainee.id, "posttest-dasar", {"0": True, "1": "24"})
        db.session.commit()
        ids = (cohort.id, trainee.id)
    auth.login("trainee1")
    html = client.get("/learn/tracks/dasar/gain").get_data(as_text=True)
    # g overall (100-50)/(100-50) = 1; modul-1 (100-0)/100 = 1; modul-2 had nothing left to learn.
    assert "g</strong> = 1,00" in html
    assert "<td>Modul Uji 1</td><td>0</td><td>100</td><td>1,00</td>" in html
    assert "<td>Modul Uji 2</td><td>100</td><td>100</td><td>—</td>" in html
    assert "Peningkatan belajar: 1,00" in client.get("/learn/").get_data(as_text=True)
    auth.logout()
    auth.login("facil1")
    cohort_page = client.get(f"/cohorts/{ids[0]}/gain").get_data(as_text=True)
    assert "pre 50% · post 100% · g = 1,00" in cohort_page
    detail = client.get(f"/cohorts/{ids[0]}/gain/{ids[1]}").get_data(as_text=True)
    assert "<td>Modul Uji 1</td><td>0</td><td>100</td><td>1,00</td>" in detail
