"""The report sections' shared builders (portal.reports.builders)."""

from portal.reports.builders import bar_chart, rows_table


def test_a_table_of_rows_holds_lists():
    table = rows_table("t", "T", ("A", "B"), [("x", 1), ["y", 2]])
    assert (table.header, table.rows) == (["A", "B"], [["x", 1], ["y", 2]])


def test_a_bar_chart_reads_the_same_in_words():
    rows = [("RSciTech", "Registered Science Technician", 4), ("CSci", "Chartered", 1)]
    chart = bar_chart(
        slug="c", title="C", about="registered technicians by register", rows=rows,
        series="Technicians", value=2, table="t",
    )  # fmt: skip
    assert chart.labels == ["RSciTech", "CSci"] and chart.series == {"Technicians": [4, 1]}
    assert (
        chart.description == "Bar chart of registered technicians by register: RSciTech 4; CSci 1."
    )
    assert (chart.kind, chart.table) == ("hbar", "t")
