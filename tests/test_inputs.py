"""Odd input never becomes a 500: huge ids, huge bodies, NUL bytes, over-long text."""
import re

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.practice.models import ActionPlan
from tests.conftest import csrf_token
from tests.factories import world
from tests.test_cohorts import sign_in, token_of


def test_an_id_beyond_64_bits_is_not_found_on_every_route(app, client):
    world(app)
    sign_in(client, "admin")
    paths = []
    for rule in app.url_map.iter_rules():
        if "int" not in str(rule.rule) or "GET" not in rule.methods:
            continue
        path = re.sub(r"<int:[^>]+>", str(2**63), rule.rule)
        if "<" in path:
            path = re.sub(r"<[^>]+>", "x", path)
        paths.append(path)
    assert len(paths) >= 10
    for path in paths:
        assert client.get(path).status_code == 404, path


def test_a_huge_body_is_refused_before_it_is_read(client):
    response = client.post("/login", data="u=" + "x" * (3 * 1024 * 1024),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Nothing was saved" in response.get_data(as_text=True) or \
        "Tidak ada yang disimpan" in response.get_data(as_text=True)


@pytest.mark.parametrize("typed, saved", [
    # PostgreSQL refuses NUL in text; a stray one must not cost the trainee their RTL.
    ("Sosialisasi\x00 hotline", "Sosialisasi hotline"),
    # U+202E would make 'exe.gpj' read as 'jpg.exe'; right-to-left text itself stays.
    ("Sosialisasi \u202eexe.gpj\u2066 عربي\u200f", "Sosialisasi exe.gpj عربي\u200f"),
], ids=["nul", "bidi-override"])
def test_invisible_dangerous_characters_are_dropped_and_the_rest_is_saved(app, client, typed, saved):
    ids = world(app)
    sign_in(client, "trainee-a1")
    path = f"/cohorts/{ids['cohort_a']}/rtl"
    response = client.post(path, data={"activities": typed, "target": "40", "timeline": "Jan", "support_needed": "",
                                       "csrf_token": token_of(client, path), "action": "save"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(ActionPlan.activities)) == saved


def test_an_over_long_text_is_refused_with_the_limit_and_kept(app, client):
    ids = world(app)
    sign_in(client, "trainee-a1")
    path = f"/cohorts/{ids['cohort_a']}/rtl"
    typed = "kegiatan " * 600  # 5,400 characters, over the 5,000 limit
    response = client.post(path, data={"activities": typed, "target": "40", "timeline": "Jan",
                                       "support_needed": "", "csrf_token": token_of(client, path),
                                       "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "5000" in html and typed.strip() in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionPlan)) == 0



def _essay_to_review(app, client, auth, make_user) -> str:
    """A case analysis submitted by trainee1, opened for review by facil1: the review path."""
    from lms.accounts.models import Role
    from tests.test_attempts import attempt_id, cohort_with, post_page, start
    t1 = make_user("trainee1")
    f1 = make_user("facil1", role=Role.FACILITATOR)
    cohort_with(app, [t1.id], [f1.id])
    auth.login()
    location = start(client, "kasus-uji")
    post_page(client, location, {"q0": "1", "q1": "Saya pastikan Sari aman dulu."}, "submit")
    auth.logout()
    auth.login("facil1")
    return f"/review/attempts/{attempt_id(location)}/questions/1"


def test_a_rubric_score_that_only_looks_like_a_digit_is_refused(app, client, auth, make_user, synced):
    path = _essay_to_review(app, client, auth, make_user)
    token = csrf_token(client.get(path).get_data(as_text=True))
    response = client.post(path, data={"c0": "²", "c1": "1", "comment": "Bagus", "csrf_token": token})
    assert response.status_code == 400
    assert "Bagus" in response.get_data(as_text=True)  # the comment typed is kept


def test_rubric_scores_start_empty_and_must_be_chosen(app, client, auth, make_user, synced):
    path = _essay_to_review(app, client, auth, make_user)
    page = client.get(path).get_data(as_text=True)
    selects = re.findall(r'<select name="c\d+"[^>]*>(.*?)</select>', page, re.DOTALL)
    assert selects and all(s.strip().startswith('<option value="">') and "selected" not in s
                           for s in selects)
    response = client.post(path, data={"comment": "", "csrf_token": csrf_token(page)})
    assert response.status_code == 400  # nothing chosen is not a silent zero
