"""The staff list export: every technician (leavers too), in the columns the import reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from portal.imports.columns import yes_no
from technicians.models import Technician
from technicians.staff_list.columns import EXPORT_COLUMNS

# Where each export column comes from, when it is not the Technician field of the same name.
_EXPORT_SOURCES = {
    "department": "department__name",
    "line_manager_staff_number": "line_manager__staff_number",
    "user_linked": "user_id",
}


def _export_cell(column: str, value: Any) -> Any:
    if column == "user_linked":
        return yes_no(value is not None)
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def staff_export_rows() -> Iterator[list[Any]]:
    """Every technician (leavers too) as a row of EXPORT_COLUMNS, in one query."""
    sources = [_EXPORT_SOURCES.get(column, column) for column in EXPORT_COLUMNS]
    values = (
        Technician.objects.order_by("staff_number").values_list(*sources).iterator(chunk_size=2000)
    )
    for row in values:
        yield [
            _export_cell(column, value) for column, value in zip(EXPORT_COLUMNS, row, strict=True)
        ]
