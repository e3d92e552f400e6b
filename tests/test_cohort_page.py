"""The cohort page at scale: the summary first, then a filtered, paged grid."""
from types import SimpleNamespace

import pytest

from lms.assessment.completion import ModuleState
from lms.extensions import db
from lms.learning.progress import mark_read
from lms.records import cohort_page
from lms.records.cohort_page import GridQuery, grid_page, summarise
from lms.records.facts import CohortFacts
from tests.conftest import PASSWORD, csrf_token
from tests.factories import make_cohort, make_org, make_person

C, R, N = ModuleState.COMPLETE, ModuleState.IN_PROGRESS, ModuleState.NOT_STARTED
MODULES = [SimpleNamespace(slug=f"m{i}", order=i, title=f"Modul {i}") for i in (1, 2, 3)]


def _facts(*rows) -> CohortFacts:
    trainees = [SimpleNamespace(user=SimpleNamespace(username=f"u{n}", display_name=name, password_hash=pw),
                                states=list(states))
                for n, (name, states, pw) in enumerate(rows)]
    return CohortFacts(cohort=None, track=None, modules=MODULES, trainees=trainees)


@pytest.fixture
def no_parts(monkeypatch):
    monkeypatch.setattr(cohort_page, "SUMMARY_PARTS", [])


def test_the_summary_says_who_is_stuck_where(no_parts):
    facts = _facts(("Melati", (C, C, C), "h"), ("Kenanga", (C, R, N), "h"), ("Mawar", (C, N, N), None),
                   ("Anggrek", (N, N, N), "h"))
    summary = summarise(facts)
    assert (summary.trainees, summary.complete, summary.not_activated) == (4, 1, 1)
    assert summary.completion_rate == 0.25
    assert [(s.module.slug, s.count) for s in summary.stuck] == [("m1", 1), ("m2", 2)]


def test_the_grid_filters_by_name_state_module_and_where_stuck():
    facts = _facts(("Melati Putih", (C, C, C), "h"), ("Kenanga", (C, R, N), "h"), ("Mawar", (C, N, N), "h"))
    names = lambda **q: [r.user.display_name for r in grid_page(facts, GridQuery(**q)).rows]  # noqa: E731
    assert names(q="melati") == ["Melati Putih"]
    assert names(q="U1") == ["Kenanga"]                       # usernames too, any case
    assert names(state="in_progress") == ["Kenanga"]
    assert names(state="complete", module="m2") == ["Melati Putih"]
    assert names(state="not_started", module="m2") == ["Mawar"]
    assert names(stuck="m2") == ["Kenanga", "Mawar"]
    assert names(q="tidak ada") == []


def test_the_grid_pages_and_the_print_view_shows_everyone():
    facts = _facts(*[(f"Peserta {n:03d}", (N, N, N), "h") for n in range(120)])
    first = grid_page(facts, GridQuery())
    assert (len(first.rows), first.pages, first.first, first.last, first.total) == (50, 3, 1, 50, 120)
    last = grid_page(facts, GridQuery(page=3))
    assert (len(last.rows), last.first, last.last) == (20, 101, 120)
    assert grid_page(facts, GridQuery(page=99)).page == 3         # past the end: the last page
    assert len(grid_page(facts, GridQuery(everything=True)).rows) == 120


def test_unknown_filter_values_are_ignored_not_errors():
    query = GridQuery.from_args({"page": "x", "state": "bogus", "module": "nope", "stuck": "m9", "q": " a " * 80},
                                MODULES)
    assert (query.page, query.state, query.module, query.stuck) == (1, "", "", "")
    assert len(query.q) <= 100
    assert GridQuery.from_args({"page": "99999999999999999999"}, MODULES).page == 10**6


@pytest.fixture
def big_cohort(app, synced):
    with app.app_context():
        org = make_org()
        coord = make_person("koordinator", "coordinator", org)
        trainees = [make_person(f"peserta{n:02d}", org=org) for n in range(62)]
        cohort = make_cohort(org, trainees=trainees)
        mark_read(trainees[0].id, "modul-2")
        db.session.commit()
        return SimpleNamespace(cohort=cohort.id, coord=coord.username)


def _sign_in(client, username):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})


def test_the_cohort_page_shows_the_summary_and_one_page_of_the_grid(client, big_cohort):
    _sign_in(client, big_cohort.coord)
    html = client.get(f"/cohorts/{big_cohort.cohort}").get_data(as_text=True)
    assert "Ringkasan" in html or "Summary" in html
    assert html.count('<td class="who">') == 50
    assert "1–50" in html and "62" in html
    assert f"/cohorts/{big_cohort.cohort}?page=2#grid" in html
    # Certification's part of the summary, linking to its page.
    assert f"/cohorts/{big_cohort.cohort}/certification" in html
    page2 = client.get(f"/cohorts/{big_cohort.cohort}?page=2").get_data(as_text=True)
    assert page2.count('<td class="who">') == 12
    everyone = client.get(f"/cohorts/{big_cohort.cohort}?all=1").get_data(as_text=True)
    assert everyone.count('<td class="who">') == 62


def test_the_grid_filters_through_the_page(client, big_cohort):
    _sign_in(client, big_cohort.coord)
    html = client.get(f"/cohorts/{big_cohort.cohort}?q=peserta0").get_data(as_text=True)
    assert html.count('<td class="who">') == 10          # peserta00 … peserta09
    html = client.get(f"/cohorts/{big_cohort.cohort}?state=in_progress&module=modul-2").get_data(as_text=True)
    assert html.count('<td class="who">') == 1 and "Peserta00" in html
    html = client.get(f"/cohorts/{big_cohort.cohort}?state=complete").get_data(as_text=True)
    assert html.count('<td class="who">') == 0 and ("Tidak ada peserta" in html or "No trainee matches" in html)


def test_the_page_of_the_grid_keeps_a_fixed_number_of_queries(app, client, big_cohort):
    from tests.helpers import count_queries
    _sign_in(client, big_cohort.coord)
    with count_queries(app) as small:
        client.get(f"/cohorts/{big_cohort.cohort}?page=2")
    with app.app_context():
        org_trainees = [make_person(f"lagi{n}") for n in range(40)]
        from lms.cohorts.models import Enrollment
        db.session.add_all([Enrollment(cohort_id=big_cohort.cohort, user_id=u.id) for u in org_trainees])
        db.session.commit()
    with count_queries(app) as large:
        client.get(f"/cohorts/{big_cohort.cohort}?page=2")
    assert len(large) == len(small)
