"""Import columns that name a technician, for the imports of other apps (registrations,
training records): one definition of the staff number column, its help and its message."""

from __future__ import annotations

from portal.imports.columns import ReferenceColumn
from technicians.selectors import technicians_by_staff_number

STAFF_NUMBER_COLUMN = ReferenceColumn(
    name="staff number",
    required=True,
    load=technicians_by_staff_number,
    help="The technician's staff number, as on the staff list.",
    messages={"unknown": "unknown staff number “{value}”"},
)
