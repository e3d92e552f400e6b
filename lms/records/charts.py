"""The cohort page's pictures: completion per module and pre/post per module."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from lms.assessment.gain_chart import gain_chart
from lms.assessment.presenting import percent_text
from lms.core.charts import Bar, bar_chart
from lms.core.i18n import gettext as _
from lms.learning.models import Module, Track
from lms.learning.progress import module_titles
from lms.records.cohort_page import CohortSummary


@dataclass
class CohortCharts:
    completion: Markup
    gain: Markup


def completion_bars(summary: CohortSummary) -> list[Bar]:
    """Per required module, the share of the cohort's trainees who completed it."""
    total = summary.trainees
    bars = []
    for module, done in summary.completed:
        share = 100.0 * done / total if total else None
        bars.append(Bar(f"{module.order}. {module.title}", (share,), (percent_text(share),),
                        _("%(done)d of %(total)d", done=done, total=total)))
    return bars


def cohort_charts(summary: CohortSummary, track: Track | None, outline: list[Module] | None = None) -> CohortCharts:
    """Both charts as figures (empty markup when there is nothing to draw yet). `outline`, the
    track's active modules, names the gain chart's bars unless a test tags a retired module."""
    completion = Markup("")
    if summary.trainees and summary.completed:
        completion = bar_chart("completion-chart", _("Completion per module"), completion_bars(summary),
                               series=(_("Completed"),), label_header=_("Module"),
                               note_header=_("Trainees"))
    gain = Markup("")
    if summary.gain is not None and summary.gain.people and track is not None:
        titles = {m.slug: m.title for m in outline or []}
        if not titles or not set(summary.gain.modules) <= set(titles):
            titles = module_titles(track.slug)
        gain = gain_chart(summary.gain, titles, table=True)
    return CohortCharts(completion, gain)
