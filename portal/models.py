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


class NotificationPreference(models.Model):
    """How a person wants one kind of reminder: at once (the default, so no row), in a weekly
    digest, or never. Kept on the person (PORTAL_PERSON_MODEL), so it works before they ever
    sign in; on the account for people who are not on the staff list. Exactly one is set."""

    class Choice(models.TextChoices):
        AT_ONCE = "at_once", "At once"
        DIGEST = "digest", "In a weekly digest"
        NEVER = "never", "Never"

    technician = models.ForeignKey(
        settings.PORTAL_PERSON_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    reminder_kind = models.CharField(max_length=50)
    choice = models.CharField(max_length=10, choices=Choice.choices, default=Choice.AT_ONCE)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, technician__isnull=True)
                    | models.Q(user__isnull=True, technician__isnull=False)
                ),
                name="notification_preference_one_person",
            ),
            models.UniqueConstraint(
                fields=["technician", "reminder_kind"],
                condition=models.Q(technician__isnull=False),
                name="one_preference_per_technician_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "reminder_kind"],
                condition=models.Q(user__isnull=False),
                name="one_preference_per_user_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technician or self.user}: {self.reminder_kind} {self.choice}"


def _pending_import_name(instance, filename: str) -> str:
    """A random name: the uploaded file's own name is kept in `file_name`, never as a path."""
    return f"imports/{uuid.uuid4().hex}.csv"


def _import_preview_name(instance, filename: str) -> str:
    return f"imports/{uuid.uuid4().hex}-preview.csv"


class PendingImport(models.Model):
    """An uploaded import file waiting between its preview and its apply (at most an hour).

    `fingerprint` is the preview's list of changes, hashed (portal.imports.pending): applying
    recomputes it and refuses when the data changed since. `target` narrows the kind (the
    plan an action import was previewed for), so a preview applies only where it was made.

    A large file is previewed and applied by a worker task (portal.imports.background): the
    row then says where the work is (`state`, `rows_read` of `rows_total`), keeps the preview
    the page shows (`summary`: counts and the first rows of each kind) and the CSV of every
    row (`preview_file`), so any web worker can answer the page's poll. A person has at most
    one import previewing or applying at a time (a partial unique constraint).
    """

    class State(models.TextChoices):
        READY = "ready", "Previewed, waiting to be applied"
        PREVIEWING = "previewing", "Being previewed"
        APPLYING = "applying", "Being applied"
        FAILED = "failed", "Failed"
        APPLIED = "applied", "Applied"

    RUNNING = (State.PREVIEWING, State.APPLYING)

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
    # Background work (portal.imports.background); a preview made in the request stays READY
    # with no `page`.
    state = models.CharField(max_length=12, choices=State.choices, default=State.READY)
    # The ImportPage subclass (dotted path) that previews and applies it in the worker.
    page = models.CharField(max_length=200, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(null=True, blank=True)
    preview_file = models.FileField(
        upload_to=_import_preview_name, storage=private_storage, blank=True
    )
    # What the person is told: why it failed, what applying did, why it was previewed again.
    message = models.TextField(blank=True)
    # What the person answered besides the file (form fields named by the page's
    # `answer_fields`, such as the staff list's "part of the list" and the typed number of
    # leavers), for the worker: it previews and applies exactly as the person asked.
    answers = models.JSONField(default=dict, blank=True)
    # How many times the running step was queued: the sweep queues a stalled one again, and
    # marks it failed after PORTAL_IMPORT_ATTEMPTS (portal.imports.background.sweep).
    attempts = models.PositiveSmallIntegerField(default=0)
    # How many of the changes the apply has written so far (of summary["apply_count"]):
    # written from a connection of its own, as the apply's transaction is still open.
    rows_applied = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by"],
                condition=models.Q(state__in=["previewing", "applying"]),
                name="one_running_import_per_person",
                violation_error_message="You already have an import running.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} import by {self.uploaded_by} ({self.file_name})"

    @property
    def is_running(self) -> bool:
        return self.state in self.RUNNING

    @property
    def percent(self) -> int | None:
        """How far the preview has read, in percent (None: not known yet)."""
        if not self.rows_total:
            return None
        return min(100, self.rows_read * 100 // self.rows_total)

    @property
    def apply_count(self) -> int:
        """How many changes applying writes (the preview's count)."""
        return int((self.summary or {}).get("apply_count") or 0)

    @property
    def applied_percent(self) -> int | None:
        """How far the apply has written, in percent (None: nothing to count)."""
        if not self.apply_count:
            return None
        return min(100, self.rows_applied * 100 // self.apply_count)


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


class DataVersion(models.Model):
    """A counter for one kind of shared data ("people", "skills", …), moved on by every write
    to that data in the writer's own transaction (portal.versions). What is computed once for
    every viewer is cached under the versions it was computed from, so a cached copy is never
    served after the data behind it changed."""

    name = models.CharField(max_length=60, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
