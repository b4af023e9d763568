"""HR's staff list: import the HR system's CSV (upload, preview, apply) and export the directory.

One page, POST actions on the same URL (portal.imports.views.ImportPage): `upload` (check the
file and preview it), `apply` (apply exactly what was previewed; the file waits in a
PendingImport for an hour), `cancel`, and two of the staff list's own: `map` (the column
mapping step of a file in the HR system's own format, then its preview) and `save_mapping`
(HR edits the saved mapping and the rule of who counts as a technician on the page).

A file of at least PORTAL_IMPORT_BACKGROUND_BYTES is previewed and applied by the worker task
(portal.imports.background), as the other imports are: only its header is read in the request
(and the mapping step asked for, if needed). HR's answers (part of the list, the typed number
of leavers) are kept with the PendingImport for the worker; the number is checked against the
preview before the apply is queued, and again by the apply service.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from portal import audit
from portal.csv_export import csv_response
from portal.decorators import permission_required
from portal.imports import ImportFileError, background
from portal.imports.pending import (
    ImportRefused,
    PreviewExpired,
    discard_pending,
    find_pending,
    pending_text,
    recent_runs,
    store_pending,
)
from portal.imports.reading import check_header
from portal.imports.views import ImportPage, WorkerRequest
from portal.models import PendingImport
from technicians import permissions, services
from technicians.models import StaffListMapping
from technicians.staff_list import (
    EXPORT_COLUMNS,
    KIND,
    STAFF_COLUMNS,
    LeaversNotConfirmed,
    NeedsMapping,
    StaffImportRefused,
    apply_staff_import,
    preview_staff_import,
    staff_export_rows,
)
from technicians.staff_list.apply import LEAVERS_NOT_CONFIRMED
from technicians.staff_list.forms import StaffListMappingForm
from technicians.staff_list.mapping import plan_header
from technicians.staff_list.preview import typed_count_matches

# The preview lists the first PREVIEW_LIMIT rows of each kind, then "show all" (errors are
# always all listed).
PREVIEW_LIMIT = 50
# A file waiting for its columns to be mapped (a PendingImport of this target).
MAPPING_TARGET = "mapping"
PARTIAL_TARGET = "partial"
SAMPLE_FILE = "docs/sample-staff-list.csv"
MAPPING_SAVED = "The column mapping is saved: every later file is read with it."
NO_LONGER_HR = "You may no longer import the staff list"


class _NotConfirmed(Exception):
    def __init__(self, refused: LeaversNotConfirmed, preview):
        self.refused = refused
        self.preview = preview


class StaffListImportPage(ImportPage):
    kind = KIND
    template_name = "technicians/staff_import.html"
    preview_template_name = "technicians/staff_import_preview.html"
    mapping_template_name = "technicians/staff_import_mapping.html"
    upload_label = "Staff list (CSV file)"
    upload_help = (
        "The staff list exported from the HR system, as UTF-8 CSV, at most 5 MB: the portal's "
        "own columns, or the HR system's own (mapped once)."
    )
    upload_required_message = "Choose the staff list CSV file to upload."
    # What the worker needs besides the file: part of the list or all of it, and the typed
    # number of leavers confirming the apply.
    answer_fields = ("partial", "confirm_leavers")
    job_notes_template_name = "technicians/_staff_import_job_notes.html"
    job_apply_template_name = "technicians/_staff_import_job_apply.html"
    missing_message = (
        "This import is no longer waiting to be applied: it was already applied or "
        "cancelled, or it has expired. Nothing was changed: upload the file again."
    )

    def __init__(self, request):
        super().__init__(request)
        self.confirm_error = ""
        self.mapping_form = None

    @classmethod
    def for_pending(cls, pending: PendingImport) -> "StaffListImportPage":
        # Applying runs as the person who asked: refused if they are no longer HR.
        if not permissions.can_manage_staff_list(pending.uploaded_by):
            raise PermissionDenied(NO_LONGER_HR)
        return super().for_pending(pending)

    @property
    def partial(self) -> bool:
        # Posted with the form; in a large import's URL (job_url) between its steps.
        request = self.request
        value = request.POST.get("partial") or request.GET.get("partial")
        return value in ("1", "on", "yes", "true")

    @property
    def in_worker(self) -> bool:
        return isinstance(self.request, WorkerRequest)

    def job_url(self, pending: PendingImport, part: str = "") -> str:
        url = super().job_url(pending, part)
        return f"{url}&partial=1" if pending.target == PARTIAL_TARGET else url

    def answers(self) -> dict[str, str]:
        answers = super().answers()
        if "partial" in answers:
            answers["partial"] = "1" if self.partial else ""
        return answers

    @property
    def target(self) -> str:
        # A preview of part of the staff list waits apart: applying it keeps that promise.
        return PARTIAL_TARGET if self.partial else ""

    def page_url(self) -> str:
        return reverse("technicians:import")

    def context(self) -> dict:
        mapping = StaffListMapping.current()
        return {
            "columns": STAFF_COLUMNS.documentation(),
            "limit": PREVIEW_LIMIT,
            "rest": f"{PREVIEW_LIMIT}:",
            "partial": self.partial,
            "confirm_error": self.confirm_error,
            "mapping": mapping,
            "mapping_form": self.mapping_form or StaffListMappingForm(mapping=mapping),
            "runs": recent_runs(KIND),
        }

    def preview(self, text: str):
        return preview_staff_import(text, partial=self.partial)

    def apply(self, text: str, *, fingerprint: str, file_name: str) -> str:
        try:
            result = apply_staff_import(
                text,
                by=self.request.user,
                fingerprint=fingerprint,
                file_name=file_name,
                partial=self.partial,
                confirmed_leavers=self.request.POST.get("confirm_leavers", ""),
            )
        except StaffImportRefused as refused:
            raise ImportRefused(
                refused.preview,
                "The directory has changed since the preview and the file is no longer "
                "valid: nothing was imported. Fix the rows below and upload the file again.",
            ) from None
        except LeaversNotConfirmed as refused:
            if self.in_worker:  # kept as the preview, waiting for the right number
                raise ImportRefused(self.preview(text), refused.messages[0]) from None
            raise _NotConfirmed(refused, self.preview(text)) from None
        return f"Staff list imported: {result.summary()}."

    # --- the staff list's own steps ---

    def handle(self) -> HttpResponse:
        action = self.request.POST.get("action") if self.request.method == "POST" else None
        if action == "map":
            return self.map_columns()
        if action == "save_mapping":
            return self.save_mapping()
        return super().handle()

    def check_file(self, text: str) -> None:
        """A large file's quick check, on its header only: ImportFileError for a wrong one,
        NeedsMapping when its columns must be mapped first."""
        plan_header(check_header(text, []))

    def upload(self) -> HttpResponse:
        form = self.form(self.request.POST, self.request.FILES)
        if not form.is_valid():
            return self.form_page(form)
        if background.running_import(self.request.user) is not None:
            form.add_error("file", background.BUSY)
            return self.form_page(form)
        text = form.cleaned_data["file"]
        large = self.runs_in_background(form.file_bytes)
        try:
            if large:
                self.check_file(text)
                return self.queue_preview(form.file_bytes, form.file_name, form)
            preview = self.preview(text)
        except NeedsMapping as needed:
            pending = store_pending(
                kind=self.kind,
                target=MAPPING_TARGET,
                by=self.request.user,
                data=form.file_bytes,
                file_name=form.file_name,
                fingerprint="",
            )
            return self.mapping_page(needed, pending.pk)
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.form_page(form)
        return self.show_preview(preview, form.file_bytes, form.file_name)

    def apply_in_background(self, pending: PendingImport) -> HttpResponse:
        details = (pending.summary or {}).get("details") or {}
        typed = self.request.POST.get("confirm_leavers", "")
        if details.get("needs_leaver_confirmation") and not typed_count_matches(
            typed, details.get("leavers")
        ):
            # Nothing is queued and the preview still waits: ask again, with the number.
            self.confirm_error = LEAVERS_NOT_CONFIRMED.format(count=details.get("leavers"))
            return self.job_page(pending)
        return super().apply_in_background(pending)

    def apply_pending(self) -> HttpResponse:
        try:
            return super().apply_pending()
        except _NotConfirmed as refused:
            # Nothing changed and the preview still waits: ask again, with the number.
            self.confirm_error = refused.refused.messages[0]
            return self.preview_page(refused.preview, self.request.POST.get("token", ""))

    def mapping_page(self, needed: NeedsMapping, token, form=None) -> HttpResponse:
        mapping = StaffListMapping.current()
        form = form or StaffListMappingForm(
            mapping=mapping, header=needed.header, suggested=needed.suggested
        )
        context = {
            "needed": needed,
            "mapping_form": form,
            "token": token,
            "partial": self.partial,
        }
        return render(self.request, self.mapping_template_name, context)

    def map_columns(self) -> HttpResponse:
        """The mapping step: save the mapping, then preview the waiting file with it."""
        request = self.request
        try:
            pending = find_pending(
                request.POST.get("token", ""),
                kind=self.kind,
                target=MAPPING_TARGET,
                by=request.user,
            )
        except PreviewExpired as expired:
            messages.error(request, str(expired))
            return redirect(self.page_url())
        if pending is None:
            messages.error(request, self.missing_message)
            return redirect(self.page_url())
        if background.running_import(request.user) is not None:
            messages.error(request, background.BUSY)
            return redirect(self.page_url())
        text = pending_text(pending)
        try:
            self.check_file(text)  # the header only: which columns it has
            needed = None
        except NeedsMapping as error:
            needed = error
        except ImportFileError as error:
            discard_pending(pending)
            messages.error(request, f"{error} Nothing was imported.")
            return redirect(self.page_url())
        header = needed.header if needed else []
        form = StaffListMappingForm(
            request.POST, mapping=StaffListMapping.current(), header=header or None
        )
        if not form.is_valid() or not self._save(form):
            return self.mapping_page(
                needed or NeedsMapping("", header=[], suggested={}), pending.pk, form
            )
        with pending.file.open("rb") as handle:
            data = handle.read()
        if self.runs_in_background(data):
            try:
                self.check_file(text)
            except NeedsMapping as still:
                return self.mapping_page(still, pending.pk)
            file_name = pending.file_name
            discard_pending(pending)
            messages.success(request, MAPPING_SAVED)
            return self.queue_preview(data, file_name)
        try:
            preview = self.preview(text)
        except NeedsMapping as still:
            return self.mapping_page(still, pending.pk)
        except ImportFileError as error:
            discard_pending(pending)
            messages.error(request, f"{error} Nothing was imported.")
            return redirect(self.page_url())
        file_name = pending.file_name
        discard_pending(pending)
        messages.success(request, MAPPING_SAVED)
        return self.show_preview(preview, data, file_name)

    def save_mapping(self) -> HttpResponse:
        """HR edits the saved mapping and the rule on the staff list page."""
        form = StaffListMappingForm(self.request.POST, mapping=StaffListMapping.current())
        if form.is_valid() and self._save(form):
            messages.success(self.request, MAPPING_SAVED)
            return redirect(self.page_url() + "#mapping-heading")
        self.mapping_form = form
        return self.form_page(self.form())

    def _save(self, form: StaffListMappingForm) -> bool:
        try:
            services.save_staff_list_mapping(by=self.request.user, **form.service_values())
        except ValidationError as error:
            form.add_error(None, error)
            return False
        return True


@permission_required(permissions.can_manage_staff_list)
@require_http_methods(["GET", "POST"])
def import_staff(request):
    return StaffListImportPage(request).handle()


@permission_required(permissions.can_manage_staff_list)
@require_GET
def export_csv(request):
    filename = f"staff-list-{timezone.localdate().isoformat()}.csv"
    audit.record(
        audit.Kind.PERSONAL_DATA_EXPORTED, by=request.user, what="The staff list (everyone)"
    )
    return csv_response(filename, EXPORT_COLUMNS, staff_export_rows())


@permission_required(permissions.can_manage_staff_list)
@require_GET
def sample_csv(request):
    """A small staff list in the import's own format, to start from."""
    path = settings.BASE_DIR / SAMPLE_FILE
    response = HttpResponse(path.read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sample-staff-list.csv"'
    response["Cache-Control"] = "private, no-store"  # like every export (HR's page)
    return response
