import uuid

from django.conf import settings
from django.db import models

from portal.imports.storage import private_storage


class Notification(models.Model):
    """The outbox: a message written in the same transaction as the change it reports.

    `unique(kind, key, recipient)` makes every producer idempotent: a reminder pass that runs
    twice, or a task redelivered after a worker died, never tells anyone the same thing twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # After a failed attempt: the sweep leaves the row alone until then (backoff).
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "created"], name="notification_status_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"], name="one_notification_per_kind_key_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient}: {self.subject}"


def _pending_import_name(instance, filename: str) -> str:
    """A random name: the uploaded file's own name is kept in `file_name`, never as a path."""
    return f"imports/{uuid.uuid4().hex}.csv"


class PendingImport(models.Model):
    """An uploaded import file waiting between its preview and its apply (at most an hour).

    `fingerprint` is the preview's list of changes, hashed (portal.imports.pending): applying
    recomputes it and refuses when the data changed since. `target` narrows the kind (the
    plan an action import was previewed for), so a preview applies only where it was made.
    """

    kind = models.CharField(max_length=50)
    target = models.CharField(max_length=50, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    file = models.FileField(upload_to=_pending_import_name, storage=private_storage)
    file_name = models.CharField(max_length=255, blank=True)
    fingerprint = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind} import by {self.uploaded_by} ({self.file_name})"


class ImportRun(models.Model):
    """An applied import: what, by whom, when, from which file, and how many rows of each
    kind of change (`counts`, e.g. {"created": 2, "updated": 1, "leavers": 0})."""

    kind = models.CharField(max_length=50)
    # What the import was for, when a kind has several (the plan of an action import).
    target = models.CharField(max_length=50, blank=True, default="")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    created = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255, blank=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.file_name or 'a file'} ({self.created:%Y-%m-%d})"


class AuditEvent(models.Model):
    """Who looked at or took a person's private data, and when: a typed record, never free
    text (portal.audit). `subject_id` is the person's Technician id (the kernel names no app),
    `subject_label` their name when it happened; `detail` says what exactly (an application's
    id, a file's name)."""

    class Kind(models.TextChoices):
        PROFILE_VIEWED = "profile_viewed", "Viewed a private profile"
        FUNDING_VIEWED = "funding_viewed", "Viewed a funding application"
        CPD_EVIDENCE_VIEWED = "cpd_evidence_viewed", "Opened CPD evidence"
        PERSONAL_DATA_EXPORTED = "personal_data_exported", "Exported personal data"
        DATA_DOWNLOADED = "data_downloaded", "Downloaded all of a person's data"
        ANONYMISED = "anonymised", "Anonymised after the retention period"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    # Who it was when it happened: kept if the account is later deleted.
    actor_label = models.CharField(max_length=254, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    subject_label = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["subject_id", "-created"], name="audit_subject_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_label} by {self.actor_label}"
