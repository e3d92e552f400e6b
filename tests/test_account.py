"""A person's own account: password change, sessions, and every way a stolen phone loses access."""
import sqlalchemy as sa

from lms.accounts.models import LoginSession, Role, User
from lms.extensions import db
from tests.conftest import PASSWORD, AuthActions, csrf_token


def _signed_in(app, username="trainee1"):
    client = app.test_client()
    assert AuthActions(client).login(username).status_code == 302
    return client


def _can_see_home(client) -> bool:
    return client.get("/learn/").status_code == 200


def test_changing_the_password_signs_out_every_other_device(app, make_user, synced):
    make_user("trainee1")
    phone, laptop = _signed_in(app), _signed_in(app)
    page = laptop.get("/account/password").get_data(as_text=True)
    wrong = laptop.post("/account/password", data={"current": "salah", "password": "kata-sandi-baru",
                                                   "confirm": "kata-sandi-baru", "csrf_token": csrf_token(page)})
    assert wrong.status_code == 400 and "bukan kata sandi Anda" in wrong.get_data(as_text=True)
    done = laptop.post("/account/password", data={"current": PASSWORD, "password": "kata-sandi-baru",
                                                  "confirm": "kata-sandi-baru", "csrf_token": csrf_token(page)})
    assert done.status_code == 302
    assert _can_see_home(laptop) and not _can_see_home(phone)
    fresh = app.test_client()
    assert AuthActions(fresh).login("trainee1", "kata-sandi-baru").status_code == 302


def test_a_short_new_password_is_refused_with_the_limit(app, make_user):
    make_user("trainee1")
    client = _signed_in(app)
    page = client.get("/account/password").get_data(as_text=True)
    response = client.post("/account/password", data={"current": PASSWORD, "password": "pendek",
                                                       "confirm": "pendek", "csrf_token": csrf_token(page)})
    assert response.status_code == 400 and "8 karakter" in response.get_data(as_text=True)


def test_sign_out_on_all_devices(app, make_user, synced):
    make_user("trainee1")
    phone, laptop = _signed_in(app), _signed_in(app)
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert page.count("Masuk pada") == 2 and "perangkat ini" in page
    assert laptop.post("/account/sessions/end", data={"csrf_token": csrf_token(page)}).status_code == 302
    assert not _can_see_home(laptop) and not _can_see_home(phone)


def test_redeeming_a_new_code_ends_every_earlier_session(app, make_user, synced):
    from lms.accounts.activation import issue_code
    from lms.timeutil import utcnow
    user = make_user("trainee1")
    taken_phone = _signed_in(app)
    with app.app_context():
        code = issue_code(db.session.get(User, user.id), None, utcnow())
        db.session.commit()
    client = app.test_client()
    page = client.get("/activate").get_data(as_text=True)
    response = client.post("/activate", data={"username": "trainee1", "code": code,
                                              "password": "sandi-baru-sekali", "confirm": "sandi-baru-sekali",
                                              "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert _can_see_home(client) and not _can_see_home(taken_phone)


def test_a_coordinator_signs_a_trainee_out_everywhere(app, synced):
    from tests.factories import world
    from tests.test_cohorts import sign_in
    ids = world(app)
    trainee = app.test_client()
    sign_in(trainee, "trainee-a1")
    coordinator = app.test_client()
    sign_in(coordinator, "coord-a")
    page = coordinator.get(f"/organisations/{ids['org_a']}").get_data(as_text=True)
    response = coordinator.post(f"/organisations/{ids['org_a']}/people/{ids['ta1']}/sessions/end",
                                data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert trainee.get("/learn/").status_code == 302
    with app.app_context():
        live = db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession).where(
            LoginSession.user_id == ids["ta1"], LoginSession.revoked_at.is_(None)))
        assert live == 0
    assert Role.COORDINATOR  # the coordinator's own session is untouched:
    assert coordinator.get(f"/organisations/{ids['org_a']}").status_code == 200
