import uuid

from django.apps import apps
from django.conf import settings
from django.db import models

from portal.imports.storage import private_storage


# An address the outbox will not write to: none, or one on the reserved `.invalid` domain
# (RFC 2606; the staff-list import parks addresses it is moving there).
def usable_address(email: str | None) -> bool:
    email = (email or "").strip().lower()
    return bool(email) and "@" in email and not email.rstrip(".").endswith(".invalid")


NO_ADDRESS = "No e-mail address"


def unusable_address_q(field: str = "email") -> models.Q:
    """`usable_address` as a filter: rows whose `field` the outbox will not write to."""
    return (
        models.Q(**{field: ""})
        | models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__iendswith": ".invalid"})
        | ~models.Q(**{f"{field}__contains": "@"})
    )


class NotificationQuerySet(models.QuerySet):
    def addressed_to(self, person):
        """Notifications to `person`: a person (PORTAL_PERSON_MODEL) or an account; for an
        account linked to a person, those addressed to either."""
        person_model = apps.get_model(settings.PORTAL_PERSON_MODEL)
        if isinstance(person, person_model):
            return self.filter(technician=person)
        linked = person_model._default_manager.filter(user=person).values("pk")[:1]
        return self.filter(models.Q(recipient=person) | models.Q(technician__in=linked))


class Notification(models.Model):
    """The outbox: a message written in the same transaction as the change it reports.

    A notification is addressed to a person (`technician`, PORTAL_PERSON_MODEL: sent to the
    staff-list e-mail, account or not) or to an account (`recipient`, for people who are not on
    the staff list); exactly one of the two is set. Unique per kind, key and addressee, so every
    producer is idempotent: a reminder pass that runs twice, or a task redelivered after a
    worker died, never tells anyone the same thing twice.

    `status` failed with a `reason` records why a message could not go (no e-mail address);
    skipped, that the person chose not to have it (their preferences). `digest` rows wait for
    the person's weekly digest instead of going at once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    technician = models.ForeignKey(
        settings.PORTAL_PERSON_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Why it was not sent (failed or skipped), in a few words for the admin and HR.
    reason = models.CharField(max_length=200, blank=True)
    # The kind of reminder it is (the person's preferences and unsubscribe link apply), or ""
    # for a message that always goes at once (a decision about their own booking, say).
    reminder_kind = models.CharField(max_length=50, blank=True)
    # Waits for the person's weekly digest (their preference for this kind of reminder).
    digest = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # After a failed attempt: the sweep leaves the row alone until then (backoff).
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "created"], name="notification_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(recipient__isnull=False, technician__isnull=True)
                    | models.Q(recipient__isnull=True, technician__isnull=False)
                ),
                name="notification_one_addressee",
                violation_error_message="A notification goes to a person or an account.",
            ),
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"],
                condition=models.Q(recipient__isnull=False),
                name="one_notification_per_kind_key_recipient",
            ),
            models.UniqueConstraint(
                fields=["kind", "key", "technician"],
                condition=models.Q(technician__isnull=False),
                name="one_notification_per_kind_key_technician",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.addressee}: {self.subject}"

    @property
    def addressee(self):
        """The person or account it is addressed to."""
        return self.technician if self.technician_id else self.recipient

    @property
    def address(self) -> str:
        """Where it goes: the person's staff-list e-mail, else the account's ("" if none)."""
        addressee = self.addressee
        email = (getattr(addressee, "email", "") or "").strip()
        return email if usable_address(email) else ""


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
