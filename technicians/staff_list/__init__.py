"""HR's staff list: its columns, the preview, the apply and the export.

- `columns`: the column types of the file (the page's help and the README come from them);
- `preview`: reading and checking a file against the directory: what it would change;
- `apply`: applying exactly what was previewed, everything or nothing;
- `export`: the directory as a file the import reads back unchanged;
- `mapping`: the HR system's own export, read through the institution's saved mapping;
- `forms`: HR's form of that mapping and of who counts as a technician.

The import page (technicians.views_staff_list) and `manage.py import_technicians` both use
`preview_staff_import` and `apply_staff_import`.
"""

from technicians.staff_list.apply import STALE, LeaversNotConfirmed, apply_staff_import
from technicians.staff_list.columns import (
    COLUMNS,
    EXPORT_COLUMNS,
    FIELD_LABELS,
    KIND,
    OPTIONAL_COLUMNS,
    STAFF_COLUMNS,
)
from technicians.staff_list.export import staff_export_rows
from technicians.staff_list.mapping import NeedsMapping
from technicians.staff_list.preview import (
    StaffImportRefused,
    StaffImportResult,
    StaffPreview,
    preview_staff_import,
)

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "FIELD_LABELS",
    "KIND",
    "LeaversNotConfirmed",
    "NeedsMapping",
    "OPTIONAL_COLUMNS",
    "STAFF_COLUMNS",
    "STALE",
    "StaffImportRefused",
    "StaffImportResult",
    "StaffPreview",
    "apply_staff_import",
    "preview_staff_import",
    "staff_export_rows",
]
