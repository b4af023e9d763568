"""Charts of the annual report: server-rendered SVG from pygal, never drawn by hand.

Each chart is embedded as an image with its text alternative (`alt`), next to a table of the
same numbers, so it reads the same without sight of it, in the PDF and on the figures page.
"""

from __future__ import annotations

import base64
import copy
from dataclasses import dataclass

import pygal
from pygal.style import Style

from portal.registry import ReportChart

# The portal's colours, dark enough against white for text and for the bars themselves.
PALETTE = ("#1d4f91", "#b4490e", "#2e7d32", "#6a1b9a", "#00695c", "#8d6e00", "#ad1457")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=PALETTE,
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=14,
    value_font_size=10,
    guide_stroke_color="#e4e7eb",
    major_guide_stroke_color="#cbd2d9",
    guide_stroke_dasharray="1,0",
    major_guide_stroke_dasharray="1,0",
)
KINDS = {
    "bar": pygal.Bar,
    "hbar": pygal.HorizontalBar,
    "stacked": pygal.StackedBar,
    "pie": pygal.Pie,
}


@dataclass(frozen=True)
class RenderedChart:
    slug: str
    title: str
    description: str
    table: str
    svg: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def render(chart: ReportChart) -> RenderedChart:
    """The chart as a standalone SVG document (no script, no external resource)."""
    kind = KINDS.get(chart.kind)
    if kind is None:
        raise ValueError(f"Unknown chart kind {chart.kind!r}.")
    style = STYLE
    if chart.colors:
        style = copy.copy(STYLE)
        style.colors = tuple(chart.colors)
    drawing = kind(
        style=style,
        width=720,
        height=360 if chart.kind != "hbar" else max(240, 40 + 28 * len(chart.labels)),
        js=[],  # pygal links a script from the internet by default: never in a report
        disable_xml_declaration=True,
        show_legend=len(chart.series) > 1 or chart.kind == "pie",
        legend_at_bottom=True,
        print_values=False,  # the table beside the chart gives every number
        truncate_label=40,
        x_label_rotation=30 if chart.kind in ("bar", "stacked") and len(chart.labels) > 6 else 0,
        explicit_size=True,
    )
    drawing.title = chart.title
    values = [value for series in chart.series.values() for value in series]
    if chart.kind == "stacked":
        values = [sum(column) for column in zip(*chart.series.values(), strict=False)] or values
    if chart.kind != "pie" and all(float(value).is_integer() for value in values):
        # Counts: whole-number axis labels (pygal would mark 0.1, 0.2… on a small scale).
        top = int(max(values, default=0))
        step = max(1, -(-top // 8))
        drawing.y_labels = list(range(0, top + step + 1, step))
    if chart.kind == "pie":
        # One slice per label, from the first series.
        values = next(iter(chart.series.values()), [])
        for label, value in zip(chart.labels, values, strict=False):
            drawing.add(label, value)
    else:
        drawing.x_labels = chart.labels
        for name, values in chart.series.items():
            drawing.add(name, list(values))
    svg = drawing.render(is_unicode=True)
    return RenderedChart(
        slug=chart.slug,
        title=chart.title,
        description=chart.description,
        table=chart.table,
        svg=svg,
    )
