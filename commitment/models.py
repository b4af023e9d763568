"""The institution's Commitment and its reporting: the annual progress report."""

import uuid

from django.conf import settings
from django.db import models

from portal.imports.storage import private_storage

# The first academic year the portal can report on.
FIRST_REPORT_YEAR = 2000


def _annual_report_name(instance, filename: str) -> str:
    return f"reports/{uuid.uuid4().hex}.pdf"


class AnnualReport(models.Model):
    """One rendering of the annual progress report for an academic year (2025 means 2025–26).

    Asking again for the same year makes a new version; earlier versions stay. The PDF is
    private: only the download view (HR and the steering group) reads it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    year = models.PositiveSmallIntegerField(
        help_text="The academic year's first year: 2025 means 1 August 2025 to 31 July 2026."
    )
    version = models.PositiveSmallIntegerField(default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="annual_reports",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    file = models.FileField(upload_to=_annual_report_name, storage=private_storage, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    # The headline figures as reported (section name -> {label: value}): next year's
    # executive summary compares against what was reported, not against a recomputation.
    headlines = models.JSONField(default=dict, blank=True)
    error = models.TextField(
        blank=True, help_text="Why rendering failed, for the people who asked."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    # The attempt rendering it now: the Celery task's id, the worker process (host:pid), and
    # the last sign of life it gave. A redelivered task whose earlier attempt is gone takes
    # the report over at once (commitment.reports.work).
    attempt_id = models.CharField(max_length=255, blank=True)
    attempt_worker = models.CharField(max_length=255, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table it had when the report lived in the kernel: its rows are kept as they are.
        db_table = "portal_annualreport"
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="one_annual_report_version"),
        ]

    def __str__(self) -> str:
        return f"Annual report {self.year}, version {self.version} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)
