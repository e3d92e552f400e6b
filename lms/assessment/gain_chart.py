"""Pre-test and post-test per module as a bar chart, for a trainee or a whole cohort."""
from __future__ import annotations

from markupsafe import Markup

from lms.assessment.analytics import GainReport
from lms.assessment.presenting import percent_text
from lms.core.charts import Bar, bar_chart
from lms.core.i18n import format_decimal
from lms.core.i18n import gettext as _


def gain_bars(report: GainReport, titles: dict[str, str]) -> list[Bar]:
    """One bar pair per module, in the order of `titles` (track order), unknown modules last."""
    rank = {slug: i for i, slug in enumerate(titles)}
    bars = []
    for slug in sorted(report.modules, key=lambda s: (rank.get(s, len(rank)), s)):
        pre, post, g = report.modules[slug]
        bars.append(Bar(titles.get(slug, slug), (pre, post), (percent_text(pre), percent_text(post)),
                        f"g = {format_decimal(g, '0.00')}" if g is not None else ""))
    return bars


def gain_chart(report: GainReport | None, titles: dict[str, str], chart_id: str = "gain-chart",
               table: bool = False) -> Markup:
    """The figure of pre and post per module (empty when there is nothing per module)."""
    if report is None or not report.modules:
        return Markup("")
    return bar_chart(chart_id, _("Pre-test and post-test per module"), gain_bars(report, titles),
                     series=(_("Pre-test"), _("Post-test")), label_header=_("Module"),
                     note_header=_("Learning gain"), table=table)
