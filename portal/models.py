from django.conf import settings
from django.db import models


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
