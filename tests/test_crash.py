"""A gunicorn worker killed with SIGKILL in the middle of a burst of submissions leaves every
attempt either fully submitted or still open with its draft, and the site keeps serving."""
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.assessment.models import Attempt, AttemptStatus
from lms.extensions import db
from tests.conftest import FIXTURE_CONTENT, csrf_token
from tests.helpers import free_port, start_with_first_page
from tests.test_attempts import ALL_RIGHT
from tests.test_concurrent_submit import Browser

TRAINEES = 24
GUNICORN = Path(sys.executable).with_name("gunicorn")
PAGE_ONE = {k: v for k, v in ALL_RIGHT.items() if k in {"q0", "q1", "q2", "q3_0", "q3_1", "q3_2", "q3_3"}}
PAGE_TWO = {k: v for k, v in ALL_RIGHT.items() if k not in PAGE_ONE}


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


@pytest.fixture
def gunicorn(app, tmp_path):
    if not GUNICORN.exists():
        pytest.fail(f"gunicorn is a dependency but is missing at {GUNICORN}")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-secret",
           "LMS_CONTENT_DIR": str(FIXTURE_CONTENT), "LMS_ENV": "development"}
    server = subprocess.Popen([str(GUNICORN), "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",  # noqa: S603
                               "--graceful-timeout", "1", "--chdir", str(tmp_path), "lms:create_app()"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            Browser(base).get("/healthz")
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail("gunicorn did not start: " + server.stderr.read().decode()[-2000:])
    yield base, server.pid
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


def _ready_trainee(base: str, username: str) -> tuple[Browser, int, str]:
    browser = Browser(base)
    token = csrf_token(browser.get("/login"))
    assert browser.post("/login", {"username": username, "password": "rahasia-123", "csrf_token": token})[0] == 302
    aid, token = start_with_first_page(browser, PAGE_ONE)
    return browser, aid, token


def _submit(browser: Browser, aid: int, token: str):
    try:
        return browser.post(f"/quiz/attempts/{aid}?page=2", {**PAGE_TWO, "action": "submit",
                                                              "csrf_token": token, "confirm_unanswered": "1"})
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        return ("dropped", str(exc))


def _check_whole(app, ids: list[int]) -> dict[str, int]:
    seen = {"submitted": 0, "open": 0}
    with app.app_context():
        attempts = db.session.scalars(sa.select(Attempt).where(Attempt.id.in_(ids))).all()
        assert len(attempts) == len(ids)
        for a in attempts:
            if a.status == AttemptStatus.OPEN:
                # Still open: the draft of page one is there, nothing of the lost submission.
                assert a.submitted_at is None and a.max_points is None
                assert a.answers.get("0") is not None and a.answers.get("7") in (None, "")
                seen["open"] += 1
            else:
                # Submitted: all of it, answers and scoring together.
                assert a.submitted_at is not None and a.max_points is not None
                assert a.answers.get("7") == ALL_RIGHT["q7"] and a.answers.get("0") is not None
                assert a.status == AttemptStatus.AWAITING_REVIEW   # the essay waits for a facilitator
                seen["submitted"] += 1
        db.session.remove()
    return seen


def test_a_worker_killed_mid_burst_leaves_every_attempt_whole(app, gunicorn, make_user, synced):
    base, master = gunicorn
    for n in range(TRAINEES):
        make_user(f"crash{n}")
    ready = [_ready_trainee(base, f"crash{n}") for n in range(TRAINEES)]
    barrier = threading.Barrier(TRAINEES + 1)
    results = []

    def submitter(browser, aid, token):
        barrier.wait()
        results.append(_submit(browser, aid, token))

    threads = [threading.Thread(target=submitter, args=r) for r in ready]
    for t in threads:
        t.start()
    workers = _workers(master)
    assert workers, "gunicorn has no workers to kill"
    barrier.wait()
    time.sleep(0.01)
    os.kill(workers[0], signal.SIGKILL)
    for t in threads:
        t.join(60)
    assert len(results) == TRAINEES

    seen = _check_whole(app, [aid for _, aid, _ in ready])
    assert seen["open"] + seen["submitted"] == TRAINEES
    print("after the kill:", seen, sum(1 for r in results if r[0] == "dropped"), "dropped")

    # The master replaces the dead worker; whoever lost their submission sends it again.
    for _ in range(100):
        if len(_workers(master)) == 2:
            break
        time.sleep(0.05)
    for browser, aid, token in ready:
        status = _submit(browser, aid, token)
        assert status[0] == 302, status
    assert _check_whole(app, [aid for _, aid, _ in ready]) == {"submitted": TRAINEES, "open": 0}
