"""Two tabs and a double tap submitting one attempt at once, against a real server."""
import http.cookiejar
import threading
import urllib.parse
import urllib.request

import sqlalchemy as sa

from lms.assessment.models import Attempt, AttemptStatus
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token
from tests.helpers import start_with_first_page
from tests.test_attempts import ALL_RIGHT

SUBMITTERS = 20      # requests submitting one attempt at once (two tabs, double taps)
TRAINEES = 50        # trainees submitting their own attempts at once


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def get(self, path):
        with self.opener.open(self.base + path) as response:
            return response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, body) as response:
                return response.status, response.headers.get("Location")
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Location")


def test_concurrent_submissions_finish_the_attempt_exactly_once(app, live_server, make_user, synced):
    make_user("trainee1")
    browser = Browser(live_server)
    token = csrf_token(browser.get("/login"))
    assert browser.post("/login", {"username": "trainee1", "password": PASSWORD, "csrf_token": token})[0] == 302
    token = csrf_token(browser.get("/quiz/kuis-semua-tipe"))
    status, location = browser.post("/quiz/kuis-semua-tipe/start", {"csrf_token": token})
    assert status == 302
    aid = int(location.split("/attempts/")[1].split("?")[0])
    token = csrf_token(browser.get(f"/quiz/attempts/{aid}?page=1"))
    assert browser.post(f"/quiz/attempts/{aid}?page=1", {**ALL_RIGHT, "action": "next",
                                                           "csrf_token": token})[0] == 302

    barrier = threading.Barrier(SUBMITTERS)
    results = []

    def submit(n):
        answers = {**ALL_RIGHT, "q7": "", "q5": "129" if n % 2 else "salah"}
        barrier.wait()
        results.append(browser.post(f"/quiz/attempts/{aid}?page=2",
                                    {**answers, "action": "submit", "csrf_token": token, "confirm_unanswered": "1"}))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(SUBMITTERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert len(results) == SUBMITTERS
    result_page = f"/quiz/attempts/{aid}/result"
    assert all(status == 302 and where.startswith(result_page) for status, where in results), results
    # Exactly one request finished the attempt; the others found it already submitted.
    assert sorted(where for _, where in results) == [result_page] * (SUBMITTERS - 1) + [result_page + "?new=1"]
    with app.app_context():
        attempts = db.session.scalars(sa.select(Attempt)).all()
        assert len(attempts) == 1
        (attempt,) = attempts
        assert attempt.status == AttemptStatus.GRADED and attempt.submitted_at is not None
        # One submission won whole: its answer and its score agree.
        assert attempt.credits["5"] == (1.0 if attempt.answers["5"] == "129" else 0.0)
        assert attempt.score_points == 6.0 + attempt.credits["5"]


def test_fifty_trainees_submitting_at_once_each_store_their_attempt_once(app, live_server, make_user, synced):
    ready = []
    for n in range(TRAINEES):
        make_user(f"peserta{n}")
        browser = Browser(live_server)
        token = csrf_token(browser.get("/login"))
        assert browser.post("/login", {"username": f"peserta{n}", "password": PASSWORD, "csrf_token": token})[0] == 302
        aid, token = start_with_first_page(browser, ALL_RIGHT)
        ready.append((n, browser, aid, token))

    barrier = threading.Barrier(TRAINEES)
    results = {}

    def submit(n, browser, aid, token):
        # Each trainee answers q5 their own way, so a mix-up between attempts would show.
        answers = {**ALL_RIGHT, "q7": "", "q5": "129" if n % 2 else f"jawaban {n}"}
        barrier.wait()
        results[n] = browser.post(f"/quiz/attempts/{aid}?page=2", {**answers, "action": "submit",
                                                                   "csrf_token": token, "confirm_unanswered": "1"})

    threads = [threading.Thread(target=submit, args=r) for r in ready]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == TRAINEES
    assert all(status == 302 and where.endswith("/result?new=1") for status, where in results.values()), results
    with app.app_context():
        attempts = {a.id: a for a in db.session.scalars(sa.select(Attempt))}
        assert len(attempts) == TRAINEES
        for n, _, aid, _ in ready:
            attempt = attempts[aid]
            assert attempt.status == AttemptStatus.GRADED and attempt.number == 1
            assert attempt.answers["5"] == ("129" if n % 2 else f"jawaban {n}")
            assert attempt.score_points == 6.0 + attempt.credits["5"]


def test_concurrent_starts_make_one_attempt(app, live_server, make_user, synced):
    make_user("trainee1")
    browser = Browser(live_server)
    token = csrf_token(browser.get("/login"))
    browser.post("/login", {"username": "trainee1", "password": PASSWORD, "csrf_token": token})
    token = csrf_token(browser.get("/quiz/kuis-semua-tipe"))
    barrier = threading.Barrier(SUBMITTERS)
    results = []

    def start():
        barrier.wait()
        results.append(browser.post("/quiz/kuis-semua-tipe/start", {"csrf_token": token}))

    threads = [threading.Thread(target=start) for _ in range(SUBMITTERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len({where for _, where in results}) == 1, results
    assert all(status == 302 for status, _ in results), results
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1
