"""HR's staff list: import the HR system's CSV (upload, preview, apply) and export the directory.

One page, three POST actions on the same URL (portal.imports.views.ImportPage): `upload`
(check the file and preview it), `apply` (apply exactly what was previewed; the file waits in
a PendingImport for an hour) and `cancel`.
"""

from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from portal.csv_export import csv_response
from portal.decorators import permission_required
from portal.imports.pending import ImportRefused
from portal.imports.views import ImportPage
from technicians import permissions
from technicians.staff_list import (
    EXPORT_COLUMNS,
    KIND,
    STAFF_COLUMNS,
    StaffImportRefused,
    apply_staff_import,
    preview_staff_import,
    staff_export_rows,
)

# The preview lists at most this many rows of each kind (errors are always all listed).
PREVIEW_LIMIT = 500


class StaffListImportPage(ImportPage):
    kind = KIND
    template_name = "technicians/staff_import.html"
    preview_template_name = "technicians/staff_import_preview.html"
    upload_label = "Staff list (CSV file)"
    upload_help = "The full staff list exported from the HR system, as UTF-8 CSV, at most 5 MB."
    upload_required_message = "Choose the staff list CSV file to upload."
    missing_message = (
        "This import is no longer waiting to be applied: it was already applied or "
        "cancelled, or it has expired. Nothing was changed: upload the file again."
    )

    def page_url(self) -> str:
        return reverse("technicians:import")

    def context(self) -> dict:
        return {"columns": STAFF_COLUMNS.documentation(), "limit": PREVIEW_LIMIT}

    def preview(self, text: str):
        return preview_staff_import(text)

    def apply(self, text: str, *, fingerprint: str, file_name: str) -> str:
        try:
            result = apply_staff_import(
                text, by=self.request.user, fingerprint=fingerprint, file_name=file_name
            )
        except StaffImportRefused as refused:
            raise ImportRefused(
                refused.preview,
                "The directory has changed since the preview and the file is no longer "
                "valid: nothing was imported. Fix the rows below and upload the file again.",
            ) from None
        return f"Staff list imported: {result.summary()}."


@permission_required(permissions.can_manage_staff_list)
@require_http_methods(["GET", "POST"])
def import_staff(request):
    return StaffListImportPage(request).handle()


@permission_required(permissions.can_manage_staff_list)
@require_GET
def export_csv(request):
    filename = f"staff-list-{timezone.localdate().isoformat()}.csv"
    return csv_response(filename, EXPORT_COLUMNS, staff_export_rows())
