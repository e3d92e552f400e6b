"""Each role's home page: the work waiting for a facilitator or coordinator, only within their
reach, in a bounded number of queries; the trainee's learning and what is left for the
certificate."""
import datetime as dt
import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from lms.accounts.models import Role, User
from lms.assessment.attempts import start_or_resume, submit
from lms.assessment.models import Attempt, Quiz
from lms.certification.demo import graded_attempt
from lms.certification.service import change_rules, cohort_status, issue_one
from lms.cohorts.models import Attendance, Cohort, CohortFacilitator, Enrollment, TrainingSession
from lms.extensions import db
from lms.home import work
from lms.home.demo import right_answer
from lms.learning.models import Module, ModuleProgress, Track
from lms.practice.models import ActionPlan, PracticeEntry, ReviewState
from lms.timeutil import local_today, utcnow
from tests.factories import make_cohort, make_person, world
from tests.helpers import count_queries, local_date


def _today(app):
    return local_today(app.config["BABEL_DEFAULT_TIMEZONE"])


def _essay(user_id: int, slug: str, days_ago: int) -> int:
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))
    attempt = start_or_resume(user_id, quiz)
    db.session.flush()
    questions = attempt.version.definition["questions"]
    submit(attempt, {str(i): right_answer(q) for i, q in enumerate(questions)}, quiz.pass_mark)
    attempt.submitted_at = utcnow() - dt.timedelta(days=days_ago)
    db.session.flush()
    return attempt.id


def _entry(cohort_id, user_id, state="waiting", days_ago=3):
    entry = PracticeEntry(cohort_id=cohort_id, user_id=user_id, done_on=dt.date(2026, 11, 2), kind="hotline",
                          description="Piket hotline malam.", created_at=utcnow() - dt.timedelta(days=days_ago))
    if state == "signed":
        entry.signed_off_at = utcnow()
    elif state == "returned":
        entry.returned_at, entry.mentor_comment = utcnow(), "Tambahkan hasilnya."
    db.session.add(entry)


@pytest.fixture
def scene(app, synced):
    """World A/B: in cohort A trainee-a1 completed every module, has an essay waiting (5 days),
    two field-practice entries waiting (one signed, one returned) and an approved RTL;
    trainee-a2 an essay waiting (2 days) and a submitted RTL; trainee-a3 never activated.
    Cohort B: trainee-b1 with an essay, a submitted RTL and an entry waiting. Each cohort has
    a past and a coming session."""
    ids = world(app)
    today = _today(app)
    with app.app_context():
        a, b = ids["cohort_a"], ids["cohort_b"]
        a1 = db.session.get(User, ids["ta1"])
        for slug in ("modul-1", "modul-2", "modul-3"):
            db.session.add(ModuleProgress(user_id=a1.id, module_slug=slug))
        for slug in ("kuis-modul-1", "kasus-uji"):
            graded_attempt(a1, db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug)), 1.0)
        db.session.flush()
        _essay(ids["ta1"], "kuis-semua-tipe", 5)
        _essay(ids["ta2"], "kasus-uji", 2)
        _essay(ids["tb1"], "kasus-uji", 9)
        a3 = make_person("trainee-a3", org=db.session.get(User, ids["ta1"]).organisation, password=None)
        db.session.add(Enrollment(cohort_id=a, user_id=a3.id))
        db.session.add_all([
            ActionPlan(cohort_id=a, user_id=ids["ta1"], state=ReviewState.APPROVED),
            ActionPlan(cohort_id=a, user_id=ids["ta2"], state=ReviewState.SUBMITTED,
                       submitted_at=utcnow() - dt.timedelta(days=1)),
            ActionPlan(cohort_id=b, user_id=ids["tb1"], state=ReviewState.SUBMITTED, submitted_at=utcnow()),
            TrainingSession(cohort_id=a, held_on=today - dt.timedelta(days=10), topic="Sesi Lalu A"),
            TrainingSession(cohort_id=a, held_on=today + dt.timedelta(days=3), topic="Sesi Depan A"),
            TrainingSession(cohort_id=b, held_on=today + dt.timedelta(days=1), topic="Sesi Depan B"),
        ])
        for state in ("waiting", "waiting", "signed", "returned"):
            _entry(a, ids["ta1"], state)
        _entry(b, ids["tb1"])
        db.session.commit()
        ids["ta3"] = a3.id
    return ids


def _home(client, auth, username) -> str:
    auth.login(username)
    response = client.get("/learn/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    assert match, section_id
    return match.group(0)


def test_facilitator_home_is_their_work_in_their_cohorts_only(client, auth, scene):
    html = _home(client, auth, "fac-a")
    assert "<h1>Pekerjaan Anda</h1>" in html
    assert "Mulai dengan pre-test" not in html            # not the learner's page
    essays = _section(html, "essays")
    assert '<span class="big">2</span> jawaban menunggu nilai dari Anda' in essays
    oldest = local_date(utcnow() - dt.timedelta(days=5))
    assert f"{oldest.day} " in essays and "/review/" in essays
    rtl = _section(html, "rtl")
    a, a2 = scene["cohort_a"], scene["ta2"]
    assert f'href="/cohorts/{a}/rtl/{a2}">Trainee-A2</a>' in rtl
    assert "Trainee-A1" not in rtl                        # approved: nothing to decide
    practice = _section(html, "practice")
    assert f'href="/cohorts/{a}/practice/{scene["ta1"]}">Trainee-A1</a> · 2 kegiatan' in practice
    sessions = _section(html, "sessions")
    assert "Sesi Depan A" in sessions and "Sesi Lalu A" not in sessions
    assert "1 dari 3 peserta menyelesaikan" in html
    # Facilitators see neither certification counts nor account activation.
    assert "siap disertifikasi" not in html and 'id="activation"' not in html
    # Nothing of organisation B.
    for other in ("Trainee-B1", "Sesi Depan B", "Angkatan B"):
        assert other not in html


def test_a_facilitator_without_a_cohort_is_told_so_and_sees_nothing_waiting(client, auth, scene):
    html = _home(client, auth, "fac-none")
    assert "Anda belum ditugaskan di angkatan mana pun" in html
    assert "Tidak ada esai yang menunggu nilai." in html
    assert "Tidak ada RTL yang menunggu." in html and "Tidak ada praktik lapangan yang menunggu." in html
    assert "Trainee-A" not in html and "Sesi Depan" not in html


def test_coordinator_home_shows_certification_and_people_needing_attention(app, client, auth, scene):
    with app.app_context():
        cohort = db.session.get(Cohort, scene["cohort_a"])
        change_rules(cohort, {"post_test_min": 0, "attendance_min": 0, "roleplays_min": 0, "rtl": False,
                              "practice_min": 0}, None)
        db.session.commit()
    html = _home(client, auth, "coord-a")
    card = re.search(r'<li class="card cohort-card">.*?</li>', html, re.S).group(0)
    a = scene["cohort_a"]
    assert "Angkatan A" in card and "1 dari 3 peserta menyelesaikan" in card
    assert "1 siap disertifikasi · 0 bersertifikat" in card
    assert f'href="/cohorts/{a}/certification"' in card and f'href="/cohorts/{a}/enrol"' in card
    assert f'href="/cohorts/{a}/import"' in card
    assert "1 peserta belum membuat kata sandi" in _section(html, "activation")
    assert f'href="/organisations/{scene["org_a"]}"' in html
    assert '<span class="big">2</span>' in _section(html, "essays")
    assert "Trainee-A2" in _section(html, "rtl") and "Trainee-A1" in _section(html, "practice")
    for other in ("Trainee-B1", "Sesi Depan B", "Angkatan B"):
        assert other not in html
    with app.app_context():
        issue_one(db.session.get(Cohort, a), db.session.get(User, scene["ta1"]), scene["coord_a"])
        db.session.commit()
    card = re.search(r'<li class="card cohort-card">.*?</li>', client.get("/learn/").get_data(as_text=True),
                     re.S).group(0)
    assert "0 siap disertifikasi · 1 bersertifikat" in card


def test_admin_home_lists_organisations_and_every_cohort(client, auth, scene):
    html = _home(client, auth, "admin")
    orgs = _section(html, "organisations")
    assert "Org A" in orgs and "Org B" in orgs and "1 angkatan" in orgs
    assert "Angkatan A" in html and "Angkatan B" in html
    assert '<span class="big">3</span>' in _section(html, "essays")
    assert "Sesi Depan B" in html and "Sesi Depan A" in html
    # The soonest session first.
    assert html.index("Sesi Depan B") < html.index("Sesi Depan A")


def test_trainee_home_stays_their_learning_with_what_is_left_for_the_certificate(client, auth, scene):
    html = _home(client, auth, "trainee-a2")
    assert "<h1>Belajar</h1>" in html and "Pekerjaan Anda" not in html
    assert "Yang masih perlu untuk sertifikat" in html
    assert "RTL menunggu penilaian, harus disetujui" in html


def test_the_curriculum_page_shows_staff_every_track(client, auth, scene):
    auth.login("fac-a")
    html = client.get("/learn/curriculum").get_data(as_text=True)
    assert "<h1>Kurikulum</h1>" in html and "Modul Uji 1" in html
    assert "Mulai dengan pre-test" not in html
    auth.logout()
    auth.login("trainee-a1")
    assert client.get("/learn/curriculum").status_code == 404


def _more_cohorts(app, ids, n, start):
    with app.app_context():
        org = db.session.get(User, ids["coord_a"]).organisation
        fac = db.session.get(User, ids["fac_a"])
        for i in range(start, start + n):
            trainee = make_person(f"extra{i}", org=org)
            cohort = make_cohort(org, f"Angkatan Tambahan {i}", trainees=[trainee], facilitators=[fac])
            db.session.add(ActionPlan(cohort_id=cohort.id, user_id=trainee.id, state=ReviewState.SUBMITTED,
                                      submitted_at=utcnow()))
            _entry(cohort.id, trainee.id)
        db.session.commit()


@pytest.mark.parametrize("username", ["fac-a", "coord-a", "admin"])
def test_the_home_costs_the_same_queries_for_more_cohorts_than_it_shows(app, client, auth, scene, username):
    _more_cohorts(app, scene, work.COHORT_LIMIT, 0)
    auth.login(username)
    with count_queries(app) as before:
        assert client.get("/learn/").status_code == 200
    _more_cohorts(app, scene, 5, 100)
    with count_queries(app) as after:
        html = client.get("/learn/").get_data(as_text=True)
    assert len(after) == len(before)
    assert html.count('class="card cohort-card"') == work.COHORT_LIMIT
    assert "Semua" in html and "angkatan</a>" in html


def test_waiting_lists_are_capped_and_count_the_rest(app, scene):
    _more_cohorts(app, scene, work.LIST_LIMIT + 2, 0)
    with app.app_context():
        fac = db.session.get(User, scene["fac_a"])
        plans, total = work.plans_waiting(fac)
        entries, entries_total = work.entries_waiting(fac)
    assert len(plans) == work.LIST_LIMIT and total == work.LIST_LIMIT + 3   # + trainee-a2
    assert len(entries) == work.LIST_LIMIT and entries_total == work.LIST_LIMIT + 4  # + a1's two
    # Oldest first: trainee-a1's entries (3 days) and trainee-a2's RTL (a day) lead.
    assert entries[0].name == "Trainee-A1" and entries[0].count == 2
    assert plans[0].name == "Trainee-A2"


def test_essays_waiting_counts_only_what_the_review_queue_would_show(app, scene):
    with app.app_context():
        fac = db.session.get(User, scene["fac_a"])
        count, oldest = work.essays_waiting(fac)
        assert count == 2
        first = db.session.scalar(sa.select(sa.func.min(Attempt.submitted_at)).where(
            Attempt.user_id.in_([scene["ta1"], scene["ta2"]]), Attempt.status == "awaiting_review"))
        assert oldest == first
        # Unassigned from cohort A, the facilitator has nothing waiting.
        db.session.execute(sa.delete(CohortFacilitator).where(CohortFacilitator.user_id == fac.id))
        assert work.essays_waiting(fac) == (0, None)
        coordinator = db.session.get(User, scene["coord_b"])
        assert work.essays_waiting(coordinator)[0] == 1
        db.session.rollback()


def test_current_cohorts_put_running_ones_before_ended_ones(app, scene):
    today = _today(app)
    with app.app_context():
        a = db.session.get(Cohort, scene["cohort_a"])
        a.starts_on, a.ends_on = today - dt.timedelta(days=90), today - dt.timedelta(days=1)
        org = a.organisation
        running = make_cohort(org, "Angkatan Berjalan")
        running.starts_on = today - dt.timedelta(days=200)
        db.session.flush()
        coordinator = db.session.get(User, scene["coord_a"])
        assert coordinator.role == Role.COORDINATOR
        cohorts, total = work.current_cohorts(coordinator, today)
        assert [c.name for c in cohorts] == ["Angkatan Berjalan", "Angkatan A"] and total == 2
        db.session.rollback()


def _another_track(slug: str, position: int) -> None:
    """A track of its own modules (using the fixture's quizzes), as a second curriculum would be."""
    db.session.add(Track(slug=slug, title=f"Jalur {slug}", pretest_slug="pretest-dasar",
                         posttest_slug="posttest-dasar", position=position, source_path="x", content_hash="x"))
    for i in (1, 2):
        db.session.add(Module(slug=f"{slug}-{i}", title=f"Modul {slug} {i}", track_slug=slug, order=i,
                              quiz_slug="kuis-modul-1", case_slugs=["kasus-uji"], source_path="x", content_hash="x"))


def _busy_cohort(org, name: str, trainee: User, today) -> Cohort:
    cohort = make_cohort(org, name, trainees=[trainee])
    session = TrainingSession(cohort_id=cohort.id, held_on=today - dt.timedelta(days=2), topic=f"Sesi {name}")
    db.session.add(session)
    db.session.flush()
    db.session.add_all([Attendance(session_id=session.id, user_id=trainee.id, status="present"),
                        ActionPlan(cohort_id=cohort.id, user_id=trainee.id, state=ReviewState.SUBMITTED,
                                   submitted_at=utcnow())])
    _entry(cohort.id, trainee.id)
    return cohort


def test_a_trainee_home_costs_the_same_queries_for_more_tracks_attempts_and_cohorts(app, client, auth, scene):
    """Tracks, graded pre/post-tests and module quizzes in every track, other people's cohorts
    with sessions, attendance, plans and practice: none of them adds a query to the home."""
    auth.login("trainee-a2")
    client.get("/learn/")
    with count_queries(app) as before:
        assert client.get("/learn/").status_code == 200
    with app.app_context():
        me = db.session.get(User, scene["ta2"])
        for position, slug in enumerate(("kedua", "ketiga"), 1):
            _another_track(slug, position)
        for slug in ("pretest-dasar", "posttest-dasar", "kuis-modul-1", "kasus-uji"):
            graded_attempt(me, db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug)), 0.5)
        org = me.organisation
        for i in range(4):
            _busy_cohort(org, f"Angkatan Lain {i}", make_person(f"lain{i}", org=org), _today(app))
        db.session.add(ModuleProgress(user_id=me.id, module_slug="kedua-1"))
        db.session.commit()
    client.get("/learn/")   # the new quiz versions are decoded once per process
    with count_queries(app) as after:
        html = client.get("/learn/").get_data(as_text=True)
    assert len(after) == len(before), (len(before), len(after))
    assert "Jalur kedua" in html and "Modul kedua 1" in html and "Angkatan Lain" not in html


def _left_for_certificate(html: str, cohort_id: int) -> list[str]:
    return re.findall(r'<li class="unmet">(.*?)</li>', _section(html, f"certificate-{cohort_id}"))


def test_a_trainee_in_several_cohorts_sees_what_each_one_requires(app, client, auth, scene):
    """The home hands each cohort's facts what it already read; what it shows per cohort is
    what the facts read on their own say, for a cohort requiring all modules, one requiring a
    choice, and one whose track is no longer offered."""
    with app.app_context():
        a1 = db.session.get(User, scene["ta1"])
        graded_attempt(a1, db.session.scalar(sa.select(Quiz).where(Quiz.slug == "posttest-dasar")), 0.5)
        chosen = _busy_cohort(a1.organisation, "Angkatan Pilihan", a1, _today(app))
        chosen.required_module_slugs = ["modul-1"]
        gone = make_cohort(a1.organisation, "Angkatan Lama", track="sudah-tidak-ada", trainees=[a1])
        change_rules(gone, {"post_test_min": 0, "attendance_min": 0}, None)
        db.session.commit()
        cohorts = [scene["cohort_a"], chosen.id, gone.id]
    html = _home(client, auth, "trainee-a1")
    with app.app_context():
        a1 = db.session.get(User, scene["ta1"])
        for cohort_id in cohorts:
            _facts, [status] = cohort_status(db.session.get(Cohort, cohort_id), [a1])
            expected = [str(escape(r.text)) for r in status.eligibility.unmet]
            assert _left_for_certificate(html, cohort_id) == expected, cohort_id
    # Modul 1 is complete (read, its quiz and case analysis passed); the chosen cohort needs no more.
    assert not any("modul" in text for text in _left_for_certificate(html, chosen.id))
    assert 'class="badge ok">selesai</span>' in html


def test_a_trainee_without_a_cohort_sees_every_track_and_no_certificate(app, client, auth, synced, make_user):
    make_user("sendiri")
    html = _home(client, auth, "sendiri")
    assert "Dasar Paralegal" in html and "certificate-" not in html and "Lanjutkan" not in html


def test_a_trainee_home_lists_their_role_play_runs_newest_first_without_their_texts(app, client, auth, scene):
    """Each run by its version's title and state, newest first; the version's text (scenario,
    roles, checklists) is not read for a title."""
    from tests.factories import run_roleplay
    with app.app_context():
        live = run_roleplay(scene["cohort_a"], [scene["ta1"], scene["ta2"]])
        setting_up = run_roleplay(scene["cohort_a"], [scene["ta1"]], live=False)
        run_roleplay(scene["cohort_a"], [scene["ta2"]])                 # not theirs
        title = live.version.title
        db.session.commit()
        live_id, setup_id = live.id, setting_up.id
    auth.login("trainee-a1")
    with count_queries(app) as statements:
        html = client.get("/learn/").get_data(as_text=True)
    runs = re.findall(r'<li><a href="/roleplay-runs/(\d+)">(.*?)</a> · (.*?)</li>', html)
    assert runs == [(str(setup_id), title, "membentuk kelompok"), (str(live_id), title, "berlangsung")]
    assert [s for s in statements if "scenario_html" in s] == []
