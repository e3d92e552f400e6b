"""Small horizontal bar charts as inline SVG, drawn on the server.

Horizontal bars suit a phone: labels read left to right above their bar and nothing has to
be turned sideways. The SVG has a viewBox and `width="100%"`, so it shrinks to 360 px; it
uses presentation attributes and classes only (the CSP allows no inline styles) and no
JavaScript. Each chart is an image with a title and a description that carries the numbers,
and can carry a table of the same numbers for those who would rather read them.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from lms.core.i18n import gettext as _

WIDTH = 360           # viewBox units; the chart scales to its container
BAR_WIDTH = 296       # room on the right for the value ("100%")
LABEL_ROW = 20
BAR_HEIGHT = 10
BAR_GAP = 4
GROUP_GAP = 8
LEGEND_ROW = 22
LABEL_CHARS = 44      # about what fits one line at font-size 14
# Fill colours per series (class names in static/site.css may restyle them).
FILLS = ("#2e6fba", "#17324d", "#2e8b57")
TRACK_FILL = "#e8ebf0"
TEXT_FILL = "#1d2330"


@dataclass(frozen=True)
class Bar:
    """One labelled row of the chart: a value per series, already written out as text."""

    label: str
    values: tuple[float | None, ...]     # on the chart's scale, None when unknown
    texts: tuple[str, ...]               # how each value reads ("63%", "—")
    note: str = ""                       # a short extra on the label row ("g = 0,50")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _text(x: float, y: float, body: str, size: int = 14, anchor: str = "start", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" fill="{TEXT_FILL}" '
            f'text-anchor="{anchor}"{klass}>{escape(body)}</text>')


def _legend(series: tuple[str, ...]) -> list[str]:
    parts, x = [], 0
    for index, name in enumerate(series):
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" rx="2" fill="{FILLS[index % len(FILLS)]}" '
                     f'class="series-{index}"/>')
        parts.append(_text(x + 16, 15, name, 13))
        x += 28 + 8 * len(name)
    return parts


def _summary(bar: Bar, series: tuple[str, ...]) -> str:
    values = ", ".join(f"{name} {text}" if name else text for name, text in zip(series, bar.texts, strict=True))
    return f"{bar.label}: {values}" + (f" ({bar.note})" if bar.note else "")


def _group(bar: Bar, series: tuple[str, ...], top: float, max_value: float) -> tuple[str, float]:
    limit = LABEL_CHARS - (len(bar.note) + 2 if bar.note else 0)
    parts = [f"<g><title>{escape(_summary(bar, series))}</title>", _text(0, top + 14, _short(bar.label, limit))]
    if bar.note:
        parts.append(_text(WIDTH, top + 14, bar.note, 13, "end", "note"))
    y = top + LABEL_ROW
    for index, (value, text) in enumerate(zip(bar.values, bar.texts, strict=True)):
        parts.append(f'<rect x="0" y="{y:g}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" rx="2" '
                     f'fill="{TRACK_FILL}" class="track"/>')
        if value is not None and max_value > 0:
            share = min(max(value / max_value, 0.0), 1.0)
            parts.append(f'<rect x="0" y="{y:g}" width="{BAR_WIDTH * share:.1f}" height="{BAR_HEIGHT}" rx="2" '
                         f'fill="{FILLS[index % len(FILLS)]}" class="bar series-{index}"/>')
        parts.append(_text(WIDTH, y + BAR_HEIGHT - 0.5, text, 12, "end", "value"))
        y += BAR_HEIGHT + BAR_GAP
    parts.append("</g>")
    return "".join(parts), y - BAR_GAP + GROUP_GAP


def chart_svg(chart_id: str, title: str, bars: list[Bar], series: tuple[str, ...] = ("",),
              max_value: float = 100.0) -> Markup:
    """The chart alone: an `<svg role="img">` titled, described with every number, 360 wide."""
    named = tuple(s for s in series if s)
    parts = _legend(named) if len(named) > 1 else []
    top = LEGEND_ROW if parts else 0.0
    for bar in bars:
        group, top = _group(bar, series, top, max_value)
        parts.append(group)
    height = max(top - GROUP_GAP, 1)
    description = "; ".join(_summary(bar, series) for bar in bars)
    return Markup(  # noqa: S704 - every text above passed through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:g}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart-svg" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        + "".join(parts) + "</svg>")


def _table(bars: list[Bar], series: tuple[str, ...], label_header: str, note_header: str) -> str:
    heads = [label_header, *(s or _("Value") for s in series)] + ([note_header] if note_header else [])
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in
                         [bar.label, *bar.texts] + ([bar.note] if note_header else [])) + "</tr>"
        for bar in bars)
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    summary = escape(_("The numbers as a table"))
    return (f'<details class="chart-numbers"><summary>{summary}</summary>'
            f'<div class="scroll"><table class="data"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div></details>")


def bar_chart(chart_id: str, title: str, bars: list[Bar], series: tuple[str, ...] = ("",),
              label_header: str = "", note_header: str = "", table: bool = True,
              caption: str = "") -> Markup:
    """A figure: the chart, its caption and (with `table`) the same numbers as a table.

    `series` names each value of a bar (one unnamed series draws no legend); `table=False`
    when the page already shows the numbers in a table of its own.
    """
    svg = chart_svg(chart_id, title, bars, series)
    caption_html = f"<figcaption>{escape(caption or title)}</figcaption>"
    numbers = _table(bars, series, label_header or _("Item"), note_header) if table else ""
    return Markup(f'<figure class="chart">{svg}{caption_html}{numbers}</figure>')  # noqa: S704 - escaped above
