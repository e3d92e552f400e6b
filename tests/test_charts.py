"""Small server-drawn SVG charts: the helper on its own, and the charts of the cohort and gain
pages against the facts they picture."""
import re
from html import unescape

import pytest

from lms.core.charts import BAR_WIDTH, Bar, bar_chart, chart_svg
from lms.extensions import db
from lms.learning.progress import mark_read
from tests.factories import take_quiz, world
from tests.helpers import compressed_page_weight
from tests.test_cohorts import sign_in


def bar_widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)" height="10" rx="2" '
                                         r'fill="#[0-9a-f]+" class="bar', svg)]


def desc_of(html: str, chart_id: str) -> str:
    match = re.search(rf'<desc id="{chart_id}-desc">([^<]*)</desc>', html)
    assert match, f"no chart {chart_id}"
    return match.group(1)


def test_a_chart_is_an_image_with_title_description_and_bars_to_scale(app):
    bars = [Bar("Satu", (25.0,), ("25%",)), Bar("Dua", (None,), ("—",)), Bar("Tiga", (150.0,), ("150%",))]
    with app.test_request_context():
        svg = str(chart_svg("c1", "Judul <b>", bars))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 ')
    assert 'width="100%" role="img" aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Judul &lt;b&gt;</title>' in svg
    assert desc_of(svg, "c1") == "Satu: 25%; Dua: —; Tiga: 150%"
    # 25 % is a quarter of the bar; an unknown value draws no bar; beyond the scale stops at full.
    assert bar_widths(svg) == [BAR_WIDTH / 4, BAR_WIDTH]
    assert "style=" not in svg and "<script" not in svg


def test_labels_are_escaped_and_long_ones_shortened_but_kept_whole_in_the_description(app):
    label = "Hak <i>asasi</i> manusia dan perlindungan saksi serta korban di Indonesia"
    with app.test_request_context():
        svg = str(chart_svg("c2", "T", [Bar(label, (50.0,), ("50%",))]))
    assert "<i>" not in svg and "Hak &lt;i&gt;asasi&lt;/i&gt;" in svg
    shown = re.search(r'<text x="0" y="14" [^>]*>([^<]*)</text>', svg).group(1)
    assert shown.endswith("…") and len(unescape(shown)) <= 44
    assert desc_of(svg, "c2") == "Hak &lt;i&gt;asasi&lt;/i&gt; manusia dan perlindungan saksi serta korban di Indonesia: 50%"


def test_two_series_draw_a_legend_and_the_table_repeats_every_number(app):
    bars = [Bar("M1", (40.0, 80.0), ("40%", "80%"), "g = 0,67")]
    with app.test_request_context():
        html = str(bar_chart("c3", "Pra dan pasca", bars, series=("Pre", "Post"), label_header="Modul",
                             note_header="g"))
    assert html.startswith('<figure class="chart"><svg') and "<figcaption>Pra dan pasca</figcaption>" in html
    assert '<rect x="0" y="4" width="12" height="12"' in html        # the legend
    assert bar_widths(html) == [BAR_WIDTH * 0.4, BAR_WIDTH * 0.8]
    assert desc_of(html, "c3") == "M1: Pre 40%, Post 80% (g = 0,67)"
    assert "<tr><th>Modul</th><th>Pre</th><th>Post</th><th>g</th></tr>" in html
    assert "<tr><td>M1</td><td>40%</td><td>80%</td><td>g = 0,67</td></tr>" in html


@pytest.fixture
def cohort_with_results(app, synced):
    """In cohort A (two trainees): trainee-a1 completed module 1 and took both tests
    (pre 50 %: module 1 wrong, module 2 right; post 100 %); trainee-a2 has done nothing."""
    ids = world(app)
    with app.app_context():
        mark_read(ids["ta1"], "modul-1")
        take_quiz(ids["ta1"], "kuis-modul-1", {"0": 0, "1": False})
        take_quiz(ids["ta1"], "pretest-dasar", {"0": False, "1": "24"})
        take_quiz(ids["ta1"], "posttest-dasar", {"0": True, "1": "24"})
        db.session.commit()
    return ids


def test_the_cohort_page_charts_completion_and_gain_per_module(app, client, cohort_with_results):
    sign_in(client, "fac-a")
    html = client.get(f"/cohorts/{cohort_with_results['cohort_a']}").get_data(as_text=True)
    assert '<title id="completion-chart-title">Penyelesaian per modul</title>' in html
    assert desc_of(html, "completion-chart") == (
        "1. Modul Uji 1: Selesai 50% (1 dari 2); 2. Modul Uji 2: Selesai 0% (0 dari 2); "
        "3. Modul Uji 3: Selesai 0% (0 dari 2)")
    completion = html[html.index('id="completion-chart"'):html.index("</figure>")]
    assert bar_widths(completion) == [BAR_WIDTH / 2, 0.0, 0.0]
    assert "<tr><td>1. Modul Uji 1</td><td>50%</td><td>1 dari 2</td></tr>" in completion
    assert '<title id="gain-chart-title">Pre-test dan post-test per modul</title>' in html
    assert desc_of(html, "gain-chart") == ("Modul Uji 1: Pre-test 0%, Post-test 100% (g = 1,00); "
                                           "Modul Uji 2: Pre-test 100%, Post-test 100%")
    assert "style=" not in html


def test_the_cohort_page_says_when_no_one_took_both_tests(app, client, synced):
    ids = world(app)
    sign_in(client, "fac-a")
    html = client.get(f"/cohorts/{ids['cohort_a']}").get_data(as_text=True)
    assert 'id="completion-chart"' in html and 'id="gain-chart"' not in html
    assert "Belum ada peserta yang mengerjakan pre-test dan post-test." in html


def test_a_trainee_sees_their_own_pre_and_post_per_module_as_a_chart(app, client, cohort_with_results):
    sign_in(client, "trainee-a1")
    html = client.get("/learn/tracks/dasar/gain").get_data(as_text=True)
    assert 'role="img" aria-labelledby="gain-chart-title gain-chart-desc"' in html
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert bar_widths(svg) == [0.0, BAR_WIDTH, BAR_WIDTH, BAR_WIDTH]
    assert desc_of(html, "gain-chart").startswith("Modul Uji 1: Pre-test 0%, Post-test 100% (g = 1,00)")
    # The page's own table stays, with the same numbers; the chart keeps the page light.
    assert "<td>Modul Uji 1</td><td>0</td><td>100</td><td>1,00</td>" in html
    assert compressed_page_weight(client, "/learn/tracks/dasar/gain") < 30 * 1024
    other = app.test_client()
    sign_in(other, "trainee-a2")
    assert "<svg" not in other.get("/learn/tracks/dasar/gain").get_data(as_text=True)


def test_staff_see_the_chart_on_the_cohort_gain_page(app, client, cohort_with_results):
    sign_in(client, "coord-a")
    html = client.get(f"/cohorts/{cohort_with_results['cohort_a']}/gain").get_data(as_text=True)
    assert desc_of(html, "gain-chart").startswith("Modul Uji 1: Pre-test 0%, Post-test 100%")
