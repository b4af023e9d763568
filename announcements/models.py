"""Announcements: news of the Commitment from the steering group or HR, to every active
technician or to chosen faculties and departments, sent through the outbox in batches and
shown on the audience's dashboard for a week."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.reversing import url_for
from technicians.models import Department


class Announcement(models.Model):
    class Status(models.TextChoices):
        QUEUEING = "queueing", "Being sent"
        SENT = "sent", "Sent"

    title = models.CharField(max_length=200)
    body = models.TextField(
        max_length=10000, help_text="Plain text. Web addresses become links; no other markup."
    )
    # The audience: nobody chosen means every active technician.
    faculties = models.JSONField(default=list, blank=True)
    departments = models.ManyToManyField(Department, blank=True, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUEING)
    # The batches' progress: technicians are queued in primary-key order after this one.
    queued_through = models.PositiveBigIntegerField(default=0)
    recipients = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("announcements:detail", self.pk)

    @property
    def for_everyone(self) -> bool:
        """No faculty or department chosen (the departments must be prefetched)."""
        return not self.faculties and not self.departments.all()

    def audience_label(self) -> str:
        if self.for_everyone:
            return "Every technician"
        names = [*self.faculties, *(d.name for d in self.departments.all())]
        return ", ".join(names)

    def reaches(self, technician) -> bool:
        """Whether `technician` is in the audience (the departments must be prefetched)."""
        if technician is None:
            return self.for_everyone
        if self.for_everyone:
            return True
        return technician.department.faculty in self.faculties or any(
            d.pk == technician.department_id for d in self.departments.all()
        )
