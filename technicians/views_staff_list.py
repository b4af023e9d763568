"""HR's staff list: import the HR system's CSV (upload, preview, apply) and export the directory.

One page, three POST actions on the same URL: `upload` (check the file and preview it),
`apply` (apply the previewed file, kept in the session under a token) and `cancel`.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from technicians import permissions
from portal.csv_export import csv_response
from portal.decorators import permission_required
from portal.imports import ImportFileError, drop_import, stash_import, unstash_import
from technicians import services
from technicians.staff_import import (
    COLUMN_HELP,
    COLUMNS,
    EXPORT_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_VALUES,
    STASH_KIND,
    StaffImportRefused,
    StaffListUploadForm,
    preview_staff_import,
    staff_export_rows,
)

PREVIEW_TEMPLATE = "technicians/staff_import_preview.html"
FORM_TEMPLATE = "technicians/staff_import.html"
# The preview lists at most this many rows of each kind (errors are always all listed).
PREVIEW_LIMIT = 500


def _columns() -> list[dict]:
    return [
        {
            "name": name,
            "required": name in REQUIRED_VALUES,
            "optional_column": name in OPTIONAL_COLUMNS,
            "help": COLUMN_HELP[name],
        }
        for name in (*COLUMNS, *OPTIONAL_COLUMNS)
    ]


def _form_page(request, form, status: int = 200):
    return render(request, FORM_TEMPLATE, {"form": form, "columns": _columns()}, status=status)


def _preview_page(request, preview, token: str | None, form=None):
    context = {
        "preview": preview,
        "token": token,
        "form": form or StaffListUploadForm(),
        "limit": PREVIEW_LIMIT,
    }
    return render(request, PREVIEW_TEMPLATE, context)


@permission_required(permissions.can_manage_staff_list)
@require_http_methods(["GET", "POST"])
def import_staff(request):
    if request.method == "GET":
        return _form_page(request, StaffListUploadForm())
    action = request.POST.get("action", "upload")
    if action == "apply":
        return _apply(request)
    if action == "cancel":
        drop_import(request.session, request.POST.get("token", ""))
        messages.info(request, "Import cancelled: nothing was changed.")
        return redirect("technicians:import")

    form = StaffListUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form)
    text = form.cleaned_data["file"]
    try:
        preview = preview_staff_import(text)
    except ImportFileError as error:
        form.add_error("file", str(error))
        return _form_page(request, form)
    token = stash_import(request.session, STASH_KIND, text) if preview.is_valid else None
    return _preview_page(request, preview, token)


def _apply(request):
    token = request.POST.get("token", "")
    text = unstash_import(request.session, STASH_KIND, token)
    if text is None:
        messages.error(
            request,
            "This import is no longer waiting to be applied: it was already applied or "
            "cancelled, or your session ended. Nothing was changed: upload the file again.",
        )
        return redirect("technicians:import")
    try:
        result = services.apply_staff_import(text, by=request.user)
    except StaffImportRefused as refused:
        drop_import(request.session, token)
        messages.error(
            request,
            "The directory has changed since the preview and the file is no longer valid: "
            "nothing was imported. Fix the rows below and upload the file again.",
        )
        return _preview_page(request, refused.preview, None)
    except ImportFileError as error:  # cannot happen for a previewed file; be safe anyway
        drop_import(request.session, token)
        messages.error(request, f"{error} Nothing was imported.")
        return redirect("technicians:import")
    drop_import(request.session, token)
    messages.success(request, f"Staff list imported: {result.summary()}.")
    return redirect("technicians:import")


@permission_required(permissions.can_manage_staff_list)
@require_GET
def export_csv(request):
    filename = f"staff-list-{timezone.localdate().isoformat()}.csv"
    return csv_response(filename, EXPORT_COLUMNS, staff_export_rows())
