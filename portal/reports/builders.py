"""Builders the apps' report sections share (kernel: no app imported): a table from the rows
a section's figures computed, and a bar chart of one number a row with its text alternative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from portal.registry import ReportChart, ReportTable


def rows_table(
    slug: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> ReportTable:
    """A ReportTable of rows as the figures hold them (tuples, or lists read back from JSON)."""
    return ReportTable(slug, title, list(header), [list(row) for row in rows])


def bar_chart(
    *,
    slug: str,
    title: str,
    about: str,
    rows: Sequence[Sequence[Any]],
    series: str,
    value: int = 1,
    table: str,
    kind: str = "hbar",
) -> ReportChart:
    """A chart of one bar a row: the label is the row's first cell, the number its cell
    `value`. Its text alternative reads "Bar chart of {about}: label number; label number."."""
    return ReportChart(
        slug=slug,
        title=title,
        kind=kind,
        labels=[row[0] for row in rows],
        series={series: [row[value] for row in rows]},
        description=f"Bar chart of {about}: "
        + "; ".join(f"{row[0]} {row[value]}" for row in rows)
        + ".",
        table=table,
    )


def number(value: Any) -> str:
    """12, 12.5, 1,250: whole numbers without decimals, others with one."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    if isinstance(value, int | float):
        return f"{int(value):,}"
    return str(value)
