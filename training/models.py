"""The training catalogue, bookings with their waiting lists, and the ledger of training days.

Every change goes through training.services; the models hold the field facts and the one
database rule that protects bookings: at most one active booking per technician and session.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.reversing import url_for
from portal.uploads import random_upload_name


class Category(models.TextChoices):
    """The three parts of the 10-day target (TRAINING_TARGET_SPLIT)."""

    ON_THE_JOB = "on_the_job", "On the job"
    CONFERENCE_WORKSHOP = "conference_workshop", "Conference or workshop"
    FORMAL = "formal", "Formal course"


class Course(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    category = models.CharField(
        max_length=30, choices=Category.choices, default=Category.FORMAL, db_index=True
    )
    provider = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="Who runs it, e.g. Technical Services."
    )
    description = models.TextField(blank=True, max_length=5000)
    days = models.DecimalField(
        "length in days",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Training days each attendee records, e.g. 0.5 for a morning.",
    )
    requires_manager_approval = models.BooleanField(
        default=False, help_text="Bookings wait for the line manager's approval."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("training:course", self.slug)


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    location = models.CharField("place", max_length=200, blank=True)
    online_url = models.URLField("online link", blank=True, max_length=500)
    capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text="Seats; more bookings join the waiting list."
    )
    booking_closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to take bookings until the start."
    )
    cancellation_deadline = models.DateField(
        null=True,
        blank=True,
        help_text="The last day to cancel without it counting as late. Leave empty for "
        "2 working days before the start (bank holidays excluded).",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    # Raised on every change sent to calendars, so they update the event, never duplicate it.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_ends_after"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.course.title}, {local:%d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return url_for("training:course", self.course.slug) + f"#session-{self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def seats_left(self) -> int | None:
        """Free seats, when the selector annotated `taken` (seats held)."""
        taken = getattr(self, "taken", None)
        return None if taken is None else max(self.capacity - taken, 0)

    @property
    def cancel_by(self):
        """The cancellation deadline: the set day, or 2 working days before the start."""
        from portal.periods import add_working_days

        deadline = self.cancellation_deadline
        if isinstance(deadline, datetime.datetime):  # given as a datetime, not yet saved
            deadline = (
                timezone.localdate(deadline) if timezone.is_aware(deadline) else deadline.date()
            )
        if deadline:
            return deadline
        return add_working_days(timezone.localdate(self.starts_at), -2)

    @property
    def closes_at(self):
        """When booking closes: the set time, or the start."""
        return self.booking_closes_at or self.starts_at

    @property
    def ical_uid(self) -> str:
        """Stable for the session's life: every invitation and feed uses it."""
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"training-session-{self.pk}@{host}"


class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for approval"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Declined"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not attend"

    # Holding a seat, or waiting for one: the database allows one of these per person.
    ACTIVE = (
        Status.REQUESTED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.ATTENDED,
        Status.NO_SHOW,
    )
    HOLDS_SEAT = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="training_bookings"
    )
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    cancelled_late = models.BooleanField(
        default=False, help_text="Cancelled after the session's cancellation deadline."
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_bookings_made",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_bookings_decided",
    )
    decline_reason = models.TextField(blank=True, max_length=1000)
    # The waiting list is ordered by `created` (first come, first served), then pk.
    created = models.DateTimeField(default=timezone.now, db_index=True)
    updated = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "technician"],
                condition=Q(
                    status__in=[
                        "requested",
                        "confirmed",
                        "waitlisted",
                        "attended",
                        "no_show",
                    ]
                ),
                name="training_one_active_booking",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created"])]

    def __str__(self) -> str:
        return f"{self.technician} – {self.session} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class CourseInterest(models.Model):
    """ "Tell me when this runs": told once when a session is added."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="interests")
    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="course_interests"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "technician"], name="training_interest_once")
        ]

    def __str__(self) -> str:
        return f"{self.technician} – {self.course}"


def evidence_upload_to(instance, filename: str) -> str:
    return random_upload_name("training-evidence", filename)


class TrainingRecord(models.Model):
    """One entry of the ledger of training days: attended sessions, and days logged."""

    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="training_records"
    )
    date = models.DateField(db_index=True)
    days = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    category = models.CharField(max_length=30, choices=Category.choices)
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    evidence = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=200)
    evidence_name = models.CharField(max_length=200, blank=True, editable=False)
    evidence_content_type = models.CharField(max_length=120, blank=True, editable=False)
    reflection = models.TextField(
        blank=True, max_length=2000, help_text="What you learnt and how you will use it."
    )
    # One record per attended booking, however often attendance is marked.
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="record"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.technician}: {self.title} ({self.days} days)"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret of a technician's personal calendar feed; regenerating it revokes the old."""

    technician = models.OneToOneField(
        "technicians.Technician", on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.technician}"
