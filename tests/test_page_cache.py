"""A trainee's kept pages (lms.core.page_cache): served again only while nothing they show
has changed, whoever changed it and through whichever server."""
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from lms.accounts.models import Role, User
from lms.cohorts.models import Cohort
from lms.core import page_cache, page_stamps
from lms.core.page_stamps import SiteStamp
from lms.extensions import db
from lms.learning.models import ModuleProgress
from tests.conftest import csrf_token
from tests.factories import make_cohort, make_org
from tests.helpers import count_queries

GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture
def client(app):
    """Flask's own client: these tests close each response themselves and count every hit
    (the suite's client asks for a trainee's page twice)."""
    return FlaskClient(app, app.response_class, use_cookies=True)


@pytest.fixture(autouse=True)
def _empty_store():
    page_cache.STORE.clear()
    yield
    page_cache.STORE.clear()


def _get(client, path, **headers):
    response = client.get(path, headers=headers)
    response.close()   # as a server does once the page is sent: that is when it is kept
    return response


def _hits() -> int:
    return page_cache.STORE.hits


def _cohort_with(app, *usernames, name="Angkatan Uji"):
    with app.app_context():
        people = db.session.scalars(sa.select(User).where(User.username.in_(usernames))).all()
        cohort = make_cohort(make_org(), name, trainees=people)
        db.session.commit()
        return cohort.id


def _read(app, username, slug):
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
        db.session.add(ModuleProgress(user_id=user_id, module_slug=slug))
        db.session.commit()


def test_the_same_page_again_is_the_kept_one_byte_for_byte(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    _get(client, "/learn/")                      # the first after sign-in sets the CSRF secret
    first = _get(client, "/learn/", **GZIP)
    hits = _hits()
    again = _get(client, "/learn/", **GZIP)
    assert _hits() == hits + 1
    assert again.data == first.data and again.headers["Content-Encoding"] == "gzip"
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in again.headers
    plain = _get(client, "/learn/")              # another encoding is another page
    assert "Content-Encoding" not in plain.headers and "modul" in plain.get_data(as_text=True)


def test_a_kept_page_costs_the_sign_in_check_alone(app, client, auth, make_user, synced, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_PAGE_CACHE_CHECK", False)   # it renders as well
    make_user("trainee1")
    auth.login()
    _get(client, "/learn/modules/modul-1")
    with count_queries(app) as rendered:
        _get(client, "/learn/modules/modul-1")
    with count_queries(app):                     # empties the store: this one renders and keeps
        _get(client, "/learn/modules/modul-1")
    hits = _hits()
    with count_queries(app, drop_kept_pages=False) as statements:
        _get(client, "/learn/modules/modul-1")
    assert _hits() == hits + 1 and len(statements) == 1 < len(rendered)
    assert "login_sessions" in statements[0] and "site_stamps" in statements[0]


def test_the_readers_own_reading_shows_at_once(client, auth, make_user, synced):
    make_user("trainee1")
    auth.login()
    _get(client, "/learn/")
    assert "0 dari 3 modul dibaca" in _get(client, "/learn/").get_data(as_text=True)
    page = _get(client, "/learn/modules/modul-1").get_data(as_text=True)
    assert 'name="mark_read"' in page
    client.post("/learn/modules/modul-1/read", data={"csrf_token": csrf_token(page)})
    _get(client, "/learn/modules/modul-1")       # shows the flash: neither served nor kept
    assert "1 dari 3 modul dibaca" in _get(client, "/learn/").get_data(as_text=True)
    assert 'name="mark_read"' not in _get(client, "/learn/modules/modul-1").get_data(as_text=True)


def test_someone_elses_change_leaves_the_page_kept_and_a_site_change_does_not(app, client, auth, make_user,
                                                                              synced):
    make_user("trainee1")
    make_user("trainee2")
    _cohort_with(app, "trainee1", "trainee2")
    auth.login()
    _get(client, "/learn/")
    assert "Angkatan Uji" in _get(client, "/learn/").get_data(as_text=True)
    _read(app, "trainee2", "modul-1")            # another trainee's row: not on this page
    hits = _hits()
    assert "0 dari 3 modul dibaca" in _get(client, "/learn/").get_data(as_text=True)
    assert _hits() == hits + 1
    with app.app_context():                      # a coordinator renames the cohort
        db.session.execute(sa.select(Cohort)).scalar_one().name = "Angkatan Baru"
        db.session.commit()
    html = _get(client, "/learn/").get_data(as_text=True)
    assert "Angkatan Baru" in html and "Angkatan Uji" not in html
    _read(app, "trainee1", "modul-2")            # this trainee's row written elsewhere (another server)
    assert "1 dari 3 modul dibaca" in _get(client, "/learn/").get_data(as_text=True)


def _stamps(user_id):
    db.session.expire_all()
    site = db.session.get(SiteStamp, 1)
    return db.session.get(User, user_id).page_stamp, site.stamp if site else None


def test_bulk_writes_change_their_owners_stamp_when_named_else_everyones(app, make_user, synced):
    trainee, other = make_user("trainee1"), make_user("trainee2")
    _read(app, "trainee1", "modul-1")
    with app.app_context():
        mine, site = _stamps(trainee.id)
        theirs, _site = _stamps(other.id)
        db.session.execute(sa.update(ModuleProgress).where(ModuleProgress.user_id == trainee.id)
                           .values(module_slug="modul-2").execution_options(page_owners=(trainee.id,)))
        db.session.commit()
        assert _stamps(trainee.id)[0] != mine and _stamps(trainee.id)[1] == site
        assert _stamps(other.id)[0] == theirs
        db.session.execute(sa.delete(ModuleProgress).where(ModuleProgress.user_id == trainee.id))
        db.session.commit()
        assert _stamps(trainee.id)[1] != site


def test_staff_homes_and_pages_with_a_query_are_never_kept(app, client, auth, make_user, synced):
    make_user("coordinator1", role=Role.COORDINATOR)
    auth.login("coordinator1")
    for _ in range(3):
        _get(client, "/learn/")
        _get(client, "/learn/modules/modul-1?lang=en")
    assert _hits() == 0
    _get(client, "/learn/modules/modul-1")
    _get(client, "/learn/modules/modul-1")
    assert _hits() == 1                          # a module page is theirs alone, staff or not


def test_each_language_and_each_person_has_their_own_page(app, client, auth, make_user, synced):
    make_user("trainee1", display_name="Ani")
    make_user("trainee2", display_name="Budi")
    auth.login()
    _get(client, "/learn/")
    assert "modul dibaca" in _get(client, "/learn/").get_data(as_text=True)
    page = _get(client, "/learn/").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "next": "/learn/", "csrf_token": csrf_token(page)})
    assert "modules read" in _get(client, "/learn/").get_data(as_text=True)
    auth.logout()
    auth.login("trainee2")
    _get(client, "/learn/")
    html = _get(client, "/learn/").get_data(as_text=True)
    assert "Budi" in html and "Ani" not in html


def test_a_kept_page_expires(app, client, auth, make_user, synced, monkeypatch):
    make_user("trainee1")
    auth.login()
    _get(client, "/learn/")
    _get(client, "/learn/")
    hits = _hits()
    _get(client, "/learn/")
    assert _hits() == hits + 1
    later = page_cache.time.monotonic() + page_cache.TTL + 1
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    _get(client, "/learn/")
    assert _hits() == hits + 1                   # rendered afresh: its CSRF token is new again


def test_the_store_drops_the_least_recently_used_past_its_size():
    store = page_cache.PageStore(max_bytes=7200)
    for i in range(9):
        store.put(("p", i), page_cache._Page(10.0**9, 200, [], bytes([i]) * 900))
        if i == 4:
            assert store.get(("p", 0), 0) is not None   # used again: the next oldest goes first
    assert len(store) == 8 and store.size == 7200
    assert store.get(("p", 1), 0) is None and store.get(("p", 0), 0).body == bytes([0]) * 900
    store.put(("big",), page_cache._Page(10.0**9, 200, [], b"x" * 901))   # over an eighth: not kept
    assert store.get(("big",), 0) is None and len(store) == 8


def test_every_model_says_whose_pages_its_rows_show_on_or_none():
    """A model without __page_owner__ changes everyone's stamp (always right); one that names
    an owner must name its own column, and those kept off every page are these, on purpose."""
    neutral = set()
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        owner = page_stamps.owner_attribute(cls)
        if owner is None:
            neutral.add(cls.__tablename__)
        elif owner is not page_stamps._SITE:
            assert owner in mapper.columns, f"{cls.__name__}.__page_owner__ names no column of it"
    assert neutral == {"login_sessions", "login_throttles", "activation_codes", "audit_log", "site_stamps"}


def test_the_suites_check_finds_a_change_made_around_the_session(app, client, auth, make_user, synced):
    """Rows written on a bare connection change no stamp: the tests' check (every kept page
    served is rendered as well) fails on the stale page, as it would for any such change."""
    trainee = make_user("trainee1")
    auth.login()
    _get(client, "/learn/")
    _get(client, "/learn/")
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.insert(ModuleProgress.__table__).values(user_id=trainee.id, module_slug="modul-1",
                                                                 read_at=sa.func.now()))
    with pytest.raises(page_cache.StalePage):
        _get(client, "/learn/")


def test_lms_page_cache_off_renders_every_page(app, client, auth, make_user, synced, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_PAGE_CACHE", False)
    make_user("trainee1")
    auth.login()
    for _ in range(3):
        _get(client, "/learn/")
    assert _hits() == 0 and len(page_cache.STORE) == 0


def test_what_is_remembered_of_the_curriculum_follows_a_change_to_it(app, client, auth, make_user, synced):
    """Titles of neighbours and activities are remembered under the site's stamp
    (`site_memo`): renaming them shows on the next page, rendered or kept."""
    from lms.assessment.models import Quiz
    from lms.learning.models import Module
    make_user("trainee1")
    auth.login()
    for _ in range(2):
        page = _get(client, "/learn/modules/modul-1").get_data(as_text=True)
    quiz_title = _title_of(app, Quiz, "kuis-modul-1")
    assert "Modul Uji 2" in page and quiz_title in page
    with app.app_context():
        db.session.scalar(sa.select(Module).where(Module.slug == "modul-2")).title = "Modul Kedua Baru"
        db.session.scalar(sa.select(Quiz).where(Quiz.slug == "kuis-modul-1")).title = "Kuis Baru"
        db.session.commit()
    page = _get(client, "/learn/modules/modul-1").get_data(as_text=True)
    assert "Modul Kedua Baru" in page and "Kuis Baru" in page and quiz_title not in page


def _title_of(app, model, slug):
    with app.app_context():
        return db.session.scalar(sa.select(model.title).where(model.slug == slug))


def test_site_memo_remembers_only_under_a_stamp(app):
    calls = []

    @page_stamps.site_memo
    def outline(n):
        calls.append(n)
        return (n,)
    with app.test_request_context():             # nobody signed in: no stamp, computed each time
        outline(1), outline(1)
    assert calls == [1, 1]
    with app.test_request_context():
        from flask import g
        setattr(g, page_stamps.STAMPS, (1, 2, 3))
        outline(1), outline(1), outline(2)
        setattr(g, page_stamps.STAMPS, (1, 2, 4))   # the site changed
        outline(1)
    assert calls == [1, 1, 1, 2, 1]


def test_a_page_whose_request_wrote_rows_is_not_kept(app, client, auth, make_user, synced, monkeypatch):
    """A GET that writes shows its own changes, under stamps read before them: not kept."""
    from lms.learning import progress
    trainee = make_user("trainee1")
    read, written = progress.read_module_slugs, iter(range(100))

    def reading_and_writing(user_id):
        db.session.add(ModuleProgress(user_id=trainee.id, module_slug=f"catatan-{next(written)}"))
        return read(user_id)
    auth.login()
    _get(client, "/learn/")
    monkeypatch.setattr(progress, "read_module_slugs", reading_and_writing)
    for _ in range(3):
        assert _get(client, "/learn/").status_code == 200
    assert _hits() == 0 and len(page_cache.STORE) == 0


def test_deleting_a_row_changes_its_owners_stamp_whether_or_not_it_was_loaded(app, make_user, synced):
    trainee = make_user("trainee1")
    for slug in ("modul-1", "modul-2"):
        _read(app, "trainee1", slug)
    with app.app_context():
        for expired in (True, False):
            before = _stamps(trainee.id)
            row = db.session.scalar(sa.select(ModuleProgress).limit(1))
            if expired:
                db.session.expire(row)
            db.session.delete(row)
            db.session.commit()
            assert _stamps(trainee.id)[0] != before[0], expired
