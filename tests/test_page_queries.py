"""Trainee pages read what they show: no module bodies for lists, and a query count that does
not grow with a trainee's progress."""
import sqlalchemy as sa

from lms.extensions import db
from lms.learning.models import Module, ModuleProgress
from tests.helpers import count_queries


def _body_queries(statements):
    return [s for s in statements if "body_html" in s]


def test_the_home_page_loads_no_module_body(app, synced, make_user, auth, client):
    make_user("trainee1")
    auth.login("trainee1")
    with count_queries(app) as statements:
        response = client.get("/learn/")
    assert response.status_code == 200
    assert "modul-2" in response.get_data(as_text=True)
    assert _body_queries(statements) == []


def test_a_module_page_loads_its_own_body_only(app, synced, make_user, auth, client):
    make_user("trainee1")
    auth.login("trainee1")
    with app.app_context():
        body = db.session.scalar(sa.select(Module.body_html).where(Module.slug == "modul-2"))
    with count_queries(app) as statements:
        response = client.get("/learn/modules/modul-2")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body and body in html
    assert 'href="/learn/modules/modul-1"' in html and 'href="/learn/modules/modul-3"' in html  # prev, next
    assert len(_body_queries(statements)) == 1


def test_the_home_page_query_count_does_not_grow_with_progress(app, synced, make_user, auth, client):
    user = make_user("trainee1")
    auth.login("trainee1")
    client.get("/learn/")
    with count_queries(app) as before:
        client.get("/learn/")
    with app.app_context():
        for slug in db.session.scalars(sa.select(Module.slug)):
            db.session.add(ModuleProgress(user_id=user.id, module_slug=slug))
        db.session.commit()
    with count_queries(app) as after:
        client.get("/learn/")
    assert len(after) == len(before)


def test_a_module_page_reads_its_module_and_track_in_one_query(app, synced, make_user, auth, client):
    make_user("trainee1")
    auth.login("trainee1")
    client.get("/learn/modules/modul-2")
    with count_queries(app) as statements:
        response = client.get("/learn/modules/modul-2")
    assert response.status_code == 200
    # the person, the module with its track, the track's modules, what was read, activity titles
    assert len(statements) == 5, statements
    assert not [s for s in statements if s.lstrip().upper().startswith("SELECT TRACKS.")]


def test_a_quiz_page_reads_its_attempt_version_and_quiz_in_one_query(app, synced, make_user, auth, client):
    from tests.conftest import csrf_token
    make_user("trainee1")
    auth.login("trainee1")
    landing = client.get("/quiz/kuis-semua-tipe").get_data(as_text=True)
    page = client.post("/quiz/kuis-semua-tipe/start", data={"csrf_token": csrf_token(landing)}).headers["Location"]
    client.get(page)
    with count_queries(app) as statements:
        response = client.get(page)
    assert response.status_code == 200
    assert len(statements) == 2, statements   # the person; the attempt with its version and quiz
