"""A cell of the cohort matrix opens one trainee's work in one module: reading, attempts with
their scores, essays with their review state."""
import re

import pytest

from lms.assessment.models import Attempt
from lms.assessment.review import grade_essay
from lms.extensions import db
from lms.learning.progress import mark_read
from tests.factories import take_quiz, world
from tests.helpers import count_queries
from tests.test_cohorts import sign_in


@pytest.fixture
def scene(app, synced):
    """trainee-a1 read module 1 and took its quiz twice (50 %, then 100 %), and sent the case
    analysis of module 2, whose essay waits for review."""
    ids = world(app)
    with app.app_context():
        mark_read(ids["ta1"], "modul-1")
        take_quiz(ids["ta1"], "kuis-modul-1", {"0": 1, "1": False})
        take_quiz(ids["ta1"], "kuis-modul-1", {"0": 0, "1": False})
        ids["case"] = take_quiz(ids["ta1"], "kasus-uji", {"0": 1, "1": "Saya rujuk ke LBH & <pendamping>."})
        db.session.commit()
    return ids


def detail_path(ids, module="modul-1", user="ta1", cohort="cohort_a"):
    return f"/cohorts/{ids[cohort]}/trainees/{ids[user]}/modules/{module}"


def test_each_cell_of_the_matrix_links_to_that_trainees_module(app, client, scene):
    sign_in(client, "fac-a")
    html = client.get(f"/cohorts/{scene['cohort_a']}").get_data(as_text=True)
    links = re.findall(r'<td class="st (\w+)"><a href="([^"]+)" aria-label="([^"]+)">', html)
    # Two trainees by three modules, each cell a link named by its state.
    assert len(links) == 6
    assert ("complete", detail_path(scene), "selesai") in links
    assert ("awaiting_review", detail_path(scene, "modul-2"), "menunggu penilaian") in links
    assert ("not_started", detail_path(scene, "modul-1", "ta2"), "belum mulai") in links
    for _state, href, _label in links:
        assert client.get(href).status_code == 200, href


def test_the_module_page_shows_reading_every_attempt_with_its_score_and_the_state(app, client, scene):
    sign_in(client, "coord-a")
    html = client.get(detail_path(scene)).get_data(as_text=True)
    assert "Modul Uji 1" in html and "Trainee-A1" in html
    assert "dibaca pada" in html and "belum dibaca" not in html
    assert "<strong>Percobaan 1</strong> ·\n      1 dari 2 poin (50%)" in html
    assert "<strong>Percobaan 2</strong> ·\n      2 dari 2 poin (100%)" in html
    assert html.count('<span class="badge fail">Belum lulus</span>') == 1
    assert html.count('<span class="badge ok">Lulus</span>') == 1
    assert "selesai" in html
    with app.app_context():
        ids = [a.id for a in db.session.query(Attempt).filter_by(quiz_slug="kuis-modul-1").order_by(Attempt.number)]
    for attempt_id in ids:
        assert f'href="/quiz/attempts/{attempt_id}/result"' in html
    assert f'href="/cohorts/{scene["cohort_a"]}">← Kembali ke Angkatan A</a>' in html


def test_an_essay_shows_its_review_state_and_links_to_the_review(app, client, scene):
    sign_in(client, "fac-a")
    path = detail_path(scene, "modul-2")
    html = client.get(path).get_data(as_text=True)
    assert "belum dibaca" in html and "menunggu penilaian" in html
    assert "Saya rujuk ke LBH &amp; &lt;pendamping&gt;." in html
    review = f'href="/review/attempts/{scene["case"]}/questions/1">Nilai esai ini</a>'
    assert review in html
    with app.app_context():
        attempt = db.session.get(Attempt, scene["case"])
        grade_essay(attempt, 1, [2, 1], "Cukup.", scene["fac_a"])
        db.session.commit()
    html = client.get(path).get_data(as_text=True)
    # 1 point for the choice and 3 of 4 for the essay.
    assert "4 dari 5 poin (80%)" in html and "sudah dinilai" in html
    assert f'href="/review/attempts/{scene["case"]}/questions/1">Lihat atau ubah penilaian</a>' in html


def test_a_module_without_attempts_says_so(app, client, scene):
    sign_in(client, "fac-a")
    html = client.get(detail_path(scene, "modul-1", "ta2")).get_data(as_text=True)
    assert "belum dibaca" in html and "Belum ada percobaan." in html and "belum mulai" in html


@pytest.mark.parametrize("who, path_args", [
    ("coord-b", {}), ("fac-b", {}), ("fac-none", {}), ("trainee-a1", {}),
    ("coord-a", {"user": "tb1"}),                  # not enrolled in this cohort
    ("coord-a", {"module": "tidak-ada"}),          # no such module
    ("admin", {"cohort": "cohort_b"}),             # the trainee is not in cohort B
])
def test_anyone_outside_the_cohort_gets_404(app, client, scene, who, path_args):
    sign_in(client, who)
    assert client.get(detail_path(scene, **path_args)).status_code == 404


def test_the_module_page_costs_the_same_queries_however_many_attempts(app, client, scene):
    sign_in(client, "fac-a")
    counts = []
    for extra in (0, 3):
        with app.app_context():
            for _ in range(extra):
                take_quiz(scene["ta1"], "kasus-uji", {"0": 0, "1": "Lagi."})
                take_quiz(scene["ta1"], "kuis-modul-1", {"0": 0, "1": True})
            db.session.commit()
        for module in ("modul-1", "modul-2"):
            with count_queries(app) as statements:
                html = client.get(detail_path(scene, module)).get_data(as_text=True)
            counts.append((module, len(statements)))
        assert html.count("Percobaan ") >= 1 + extra
    assert counts[:2] == counts[2:], counts
