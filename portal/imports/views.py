"""The page every import shares: upload (check the file and preview it), apply (what was
previewed, or nothing), cancel. One URL, POST `action` = upload | apply | cancel (a POST with
a `token` and no action applies).

An app subclasses `ImportPage`, says its kind, templates, columns, URL and wording, and
either names its `importer` (a module with `preview_import(text)` and `apply_import(by, text,
fingerprint=..., file_name=...)`), or implements `preview(text)` and `apply_import(...)`, or
`apply(...)` itself; `done_message(result)` says what was done. Its view checks permission and
returns `Page(request).handle()`. The template `portal/imports/page.html` is the page most
imports extend, filling its blocks.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

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

    def __init__(self, request):
        self.request = request

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
            return self.form_page(self.form())
        action = request.POST.get("action") or ("apply" if "token" in request.POST else "upload")
        if action == "apply":
            return self.apply_pending()
        if action == "cancel":
            return self.cancel()
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
        try:
            preview = self.preview(form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.form_page(form)
        return self.show_preview(preview, form.file_bytes, form.file_name)

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
        if pending is not None:
            discard_pending(pending)
        messages.info(self.request, self.cancelled_message)
        return redirect(self.page_url())
