"""The page every import shares: upload (check the file and preview it), apply (what was
previewed, or nothing), cancel. One URL, POST `action` = upload | apply | cancel (a POST with
a `token` and no action applies).

An app subclasses `ImportPage`, says its kind, templates, columns, URL and wording, and
either names its `importer` (a module with `preview_import(text)` and `apply_import(by, text,
fingerprint=..., file_name=...)`), or implements `preview(text)` and `apply_import(...)`, or
`apply(...)` itself; `done_message(result)` says what was done. Its view checks permission and
returns `Page(request).handle()`. The template `portal/imports/page.html` is the page most
imports extend, filling its blocks.

A file of at least PORTAL_IMPORT_BACKGROUND_BYTES is previewed and applied by a worker task
(portal.imports.background) when the page allows it (`background`, and `for_pending` builds the
page in the worker): the upload redirects to the page with `?import=<id>`, which shows a
progress bar (the fragment `?import=<id>&part=progress`, polled by htmx; a refresh without
JavaScript), then the preview kept on the row: counts and the first rows of each kind, with
the CSV of every row at `?import=<id>&part=csv`. Being the page's own URL, each answers only
to whom may use the page, and only for the person's own import.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from portal.files import serve_private_file
from portal.imports import background
from portal.imports.background import ImportBusy
from portal.imports.columns import ColumnSet
from portal.imports.pending import (
    ImportRefused,
    PreviewExpired,
    StalePreview,
    discard_pending,
    find_pending,
    pending_text,
    store_pending,
)
from portal.imports.reading import (
    DEFAULT_MAX_BYTES,
    ImportFileError,
    Preview,
    check_header,
    decode_csv_text,
    read_upload_bytes,
)
from portal.models import PendingImport


class ImportUploadForm(forms.Form):
    """The file of an import. `cleaned_data["file"]` is its text, checked by content."""

    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def __init__(
        self,
        *args: Any,
        label: str = "CSV file",
        help_text: str = "",
        required_message: str = "Choose the CSV file to upload.",
        max_bytes: int = DEFAULT_MAX_BYTES,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        field = self.fields["file"]
        field.label = label
        field.help_text = help_text
        field.error_messages.update({"required": required_message, "empty": "The file is empty."})
        self.file_bytes = b""
        self.file_name = ""

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        try:
            data = read_upload_bytes(upload, self.max_bytes)
            text = decode_csv_text(data)
        except ImportFileError as error:
            raise ValidationError(str(error)) from None
        self.file_bytes = data
        self.file_name = PurePath(getattr(upload, "name", "") or "").name
        return text


class WorkerRequest:
    """What an ImportPage reads of its request, in the worker task: the person, and the
    answers they gave with the file (PendingImport.answers) as the form's fields."""

    method = "POST"

    def __init__(self, user, answers: dict[str, Any] | None = None):
        self.user = user
        self.POST = QueryDict(mutable=True)
        for name, value in (answers or {}).items():
            self.POST[name] = str(value)
        self.GET = QueryDict()
        self.FILES = QueryDict()


# How often (seconds) the progress bar asks how far the import is.
POLL_SECONDS = 1


class ImportPage:
    kind: str = ""
    template_name: str = ""
    preview_template_name: str = ""  # empty: the same page shows the form and the preview
    upload_label = "CSV file"
    upload_help = ""
    upload_required_message = "Choose the CSV file to upload."
    missing_message = (
        "This import is no longer waiting to be applied: it was already applied or "
        "cancelled. Nothing was changed: upload the file again."
    )
    cancelled_message = "Import cancelled: nothing was changed."
    refused_message = "Nothing was imported: the file no longer checks out."
    # The import's ColumnSet: its documentation is the page's table of columns.
    columns: ColumnSet | None = None
    # The page's URL name, for a page whose URL takes no arguments.
    url_name = ""
    # For an import of the file alone: the module with its services
    # `preview_import(text)` and `apply_import(by, text, *, fingerprint, file_name)`.
    importer: Any = None
    # Large files are previewed and applied by a worker task (portal.imports.background);
    # False keeps every file in the request (a page with steps of its own).
    background = True
    progress_template_name = "portal/imports/_progress.html"
    # Form fields the person fills in besides the file (at upload or apply) that the worker
    # needs: kept with the PendingImport (`answers`) and read back as the worker's POST.
    answer_fields: tuple[str, ...] = ()
    # Templates the capped preview of a large file includes, when the page needs more than
    # the counts and the first rows: notes under the counts, and the apply form.
    job_notes_template_name = ""
    job_apply_template_name = ""

    def __init__(self, request):
        self.request = request

    @classmethod
    def for_pending(cls, pending: PendingImport) -> ImportPage:
        """The page as the worker task uses it, for the person who uploaded `pending`
        (override when the page needs more than the request, e.g. the plan of its target)."""
        return cls(WorkerRequest(pending.uploaded_by, pending.answers))

    @classmethod
    def dotted_path(cls) -> str:
        return f"{cls.__module__}.{cls.__qualname__}"

    def required_columns(self) -> list[str]:
        """The columns a file's header must name (checked before a large file is queued)."""
        return [] if self.columns is None else self.columns.header_names

    def runs_in_background(self, data: bytes) -> bool:
        return self.background and len(data) >= background.threshold()

    def answers(self) -> dict[str, str]:
        """The posted `answer_fields`, to keep with the pending import for the worker."""
        post = self.request.POST
        return {name: post[name] for name in self.answer_fields if name in post}

    # --- what an app says ---

    @property
    def target(self) -> str:
        """What the import is for, when a kind has several (the plan of an action import)."""
        return ""

    def page_url(self) -> str:
        return reverse(self.url_name)

    def success_url(self) -> str:
        return self.page_url()

    def preview(self, text: str) -> Preview:
        """What the file would change; raises ImportFileError for the file as a whole."""
        return self.importer.preview_import(text)

    def apply_import(self, text: str, *, fingerprint: str, file_name: str) -> Preview:
        """The app's apply service: the result, with errors when nothing was changed."""
        return self.importer.apply_import(
            self.request.user, text, fingerprint=fingerprint, file_name=file_name
        )

    def done_message(self, result: Preview) -> str:
        """What applying did, in a sentence."""
        raise NotImplementedError

    def apply(self, text: str, *, fingerprint: str, file_name: str) -> str:
        """Apply the file if its changes still have this fingerprint; return the message
        saying what was done. Raises StalePreview, ImportRefused or ImportFileError."""
        result = self.apply_import(text, fingerprint=fingerprint, file_name=file_name)
        if not result.is_valid:
            raise ImportRefused(result, self.refused_message)
        return self.done_message(result)

    def context(self) -> dict[str, Any]:
        return {}

    def page_context(self) -> dict[str, Any]:
        columns = {} if self.columns is None else {"columns": self.columns.documentation()}
        return {**columns, **self.context()}

    # --- the page ---

    def form(self, *args: Any) -> ImportUploadForm:
        return ImportUploadForm(
            *args,
            label=self.upload_label,
            help_text=self.upload_help,
            required_message=self.upload_required_message,
        )

    def handle(self) -> HttpResponse:
        request = self.request
        if request.method != "POST":
            if "import" in request.GET:
                return self.show_job()
            return self.form_page(self.form())
        action = request.POST.get("action") or ("apply" if "token" in request.POST else "upload")
        if action == "apply":
            return self.apply_pending()
        if action == "cancel":
            return self.cancel()
        if action == "retry":
            return self.retry()
        return self.upload()

    def form_page(self, form: ImportUploadForm) -> HttpResponse:
        context = {"form": form, **self.page_context()}
        return render(self.request, self.template_name, context)

    def preview_page(self, preview: Preview, token: Any) -> HttpResponse:
        context = {"form": self.form(), "preview": preview, "token": token}
        context |= self.page_context()
        return render(self.request, self.preview_template_name or self.template_name, context)

    def upload(self) -> HttpResponse:
        form = self.form(self.request.POST, self.request.FILES)
        if not form.is_valid():
            return self.form_page(form)
        if background.running_import(self.request.user) is not None:
            form.add_error("file", background.BUSY)
            return self.form_page(form)
        if self.runs_in_background(form.file_bytes):
            try:
                check_header(form.cleaned_data["file"], self.required_columns())
            except ImportFileError as error:
                form.add_error("file", str(error))
                return self.form_page(form)
            return self.queue_preview(form.file_bytes, form.file_name, form)
        try:
            preview = self.preview(form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.form_page(form)
        return self.show_preview(preview, form.file_bytes, form.file_name)

    def queue_preview(
        self, data: bytes, file_name: str, form: ImportUploadForm | None = None
    ) -> HttpResponse:
        """Keep a large file and queue its preview; the page of its progress, or the refusal
        (another import running) on the form, else on the page."""
        try:
            pending = background.start_preview(
                page=self.dotted_path(),
                kind=self.kind,
                target=self.target,
                by=self.request.user,
                data=data,
                file_name=file_name,
                answers=self.answers(),
            )
        except ImportBusy as busy:
            if form is None:
                messages.error(self.request, str(busy))
                return redirect(self.page_url())
            form.add_error("file", str(busy))
            return self.form_page(form)
        return redirect(self.job_url(pending))

    def show_preview(self, preview: Preview, data: bytes, file_name: str) -> HttpResponse:
        token = None
        if preview.is_valid:
            token = store_pending(
                kind=self.kind,
                target=self.target,
                by=self.request.user,
                data=data,
                file_name=file_name,
                fingerprint=preview.fingerprint,
            ).pk
        return self.preview_page(preview, token)

    def _pending(self, target: str | None = None):
        return find_pending(
            self.request.POST.get("token", ""),
            kind=self.kind,
            target=self.target if target is None else target,
            by=self.request.user,
        )

    def waiting_pending(
        self, target: str | None = None
    ) -> tuple[PendingImport | None, HttpResponse | None]:
        """The posted token's pending import (of `target`, else the page's), or the redirect
        back to the page saying it has expired or is no longer waiting."""
        try:
            pending = self._pending(target)
        except PreviewExpired as expired:
            messages.error(self.request, str(expired))
            return None, redirect(self.page_url())
        if pending is None:
            messages.error(self.request, self.missing_message)
            return None, redirect(self.page_url())
        return pending, None

    def apply_pending(self) -> HttpResponse:
        request = self.request
        pending, refused = self.waiting_pending()
        if refused is not None:
            return refused
        if pending.page:
            return self.apply_in_background(pending)
        if background.running_import(request.user) is not None:
            messages.error(request, background.BUSY)
            return redirect(self.page_url())
        text = pending_text(pending)
        try:
            done = self.apply(text, fingerprint=pending.fingerprint, file_name=pending.file_name)
        except StalePreview as stale:
            # Nothing was changed: show what the file would do now, to be reviewed again.
            messages.error(request, str(stale))
            file_name = pending.file_name
            with pending.file.open("rb") as handle:
                data = handle.read()
            discard_pending(pending)
            try:
                return self.show_preview(self.preview(text), data, file_name)
            except ImportFileError as error:
                messages.error(request, f"{error} Nothing was imported.")
                return redirect(self.page_url())
        except ImportRefused as refused:
            discard_pending(pending)
            messages.error(request, str(refused))
            return self.preview_page(refused.preview, None)
        except ImportFileError as error:  # cannot happen for a previewed file; be safe anyway
            discard_pending(pending)
            messages.error(request, f"{error} Nothing was imported.")
            return redirect(self.page_url())
        discard_pending(pending)
        messages.success(request, done)
        return redirect(self.success_url())

    def cancel(self) -> HttpResponse:
        try:
            pending = self._pending()
        except PreviewExpired:
            pending = None  # deleted already: cancelling it is done
        if pending is not None and pending.state == PendingImport.State.APPLYING:
            messages.error(self.request, CANNOT_CANCEL)
            return redirect(self.job_url(pending))
        if pending is not None:
            discard_pending(pending)
        messages.info(self.request, self.cancelled_message)
        return redirect(self.page_url())

    # --- large files, in the worker (portal.imports.background) ---

    def job_url(self, pending: PendingImport, part: str = "") -> str:
        query = QueryDict(mutable=True)
        query["import"] = str(pending.pk)
        if part:
            query["part"] = part
        return f"{self.page_url()}?{query.urlencode()}"

    def apply_in_background(self, pending: PendingImport) -> HttpResponse:
        try:
            background.start_apply(pending, answers=self.answers())
        except ImportBusy as busy:
            messages.error(self.request, str(busy))
        except ValueError as refused:
            messages.error(self.request, str(refused))
        return redirect(self.job_url(pending))

    def retry(self) -> HttpResponse:
        pending, refused = self.waiting_pending()
        if refused is not None:
            return refused
        try:
            background.retry(pending)
        except ImportBusy as busy:
            messages.error(self.request, str(busy))
        return redirect(self.job_url(pending))

    def show_job(self) -> HttpResponse:
        """The person's import run by a worker: its progress (the page, or the fragment the
        page polls), its preview, its CSV of every row; once applied, the page it leads to."""
        request = self.request
        try:
            pending = find_pending(
                request.GET.get("import", ""), kind=self.kind, target=self.target, by=request.user
            )
        except PreviewExpired as expired:
            messages.error(request, str(expired))
            return redirect(self.page_url())
        if pending is None or not pending.page:  # another person's, or gone
            raise Http404("No such import.")
        part = request.GET.get("part", "")
        if part == "csv":
            return self.preview_csv(pending)
        if pending.state == PendingImport.State.APPLIED:
            messages.success(request, pending.message)
            discard_pending(pending)
            return redirect(self.success_url())
        return self.job_page(pending, progress_only=part == "progress")

    def job_page(self, pending: PendingImport, *, progress_only: bool = False) -> HttpResponse:
        """The page of a large import (its progress, or its capped preview), or the fragment
        of its progress that the page polls."""
        request = self.request
        context = {
            "job": pending,
            "job_url": self.job_url(pending),
            "progress_url": self.job_url(pending, "progress"),
            "csv_url": self.job_url(pending, "csv"),
            "poll_seconds": POLL_SECONDS,
            "job_notes_template": self.job_notes_template_name,
            "job_apply_template": self.job_apply_template_name,
        }
        if progress_only or getattr(request, "htmx", False):
            response = render(request, self.progress_template_name, context)
            if not pending.is_running:
                response["HX-Refresh"] = "true"  # done: the page shows the preview
            return response
        context |= {"form": self.form(), **self.page_context()}
        return render(request, self.template_name, context)

    def preview_csv(self, pending: PendingImport) -> HttpResponse:
        """Every row of the preview (what each line would do, and every bad line) as CSV."""
        if not pending.preview_file:
            messages.error(self.request, NO_CSV)
            return redirect(self.job_url(pending))
        name = PurePath(pending.file_name or "import.csv").stem or "import"
        return serve_private_file(
            pending.preview_file,
            content_type="text/csv; charset=utf-8",
            filename=f"{name}-preview.csv",
        )


CANNOT_CANCEL = "This import is being applied: it can no longer be cancelled."
NO_CSV = "The preview is not ready yet: its rows can be downloaded once it is."
