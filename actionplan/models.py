"""The four-pillar action plan: plans, their actions, and progress updates on those actions.

RAG is derived (actionplan/rag.py), never stored. Every change to a plan or an action is kept
by django-simple-history (who, when, which field, old and new value).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actionplan import rag
from portal.reversing import url_for
from portal.uploads import random_upload_name


class Pillar(models.TextChoices):
    VISIBILITY = "visibility", "Visibility"
    RECOGNITION = "recognition", "Recognition"
    CAREER_DEVELOPMENT = "career_development", "Career development"
    SUSTAINABILITY = "sustainability", "Sustainability"


PILLAR_AIMS = {
    Pillar.VISIBILITY: "Every technician identifiable, and their contribution seen inside and "
    "outside the university.",
    Pillar.RECOGNITION: "Technicians recognised for their work, including through professional "
    "registration.",
    Pillar.CAREER_DEVELOPMENT: "Clear, documented career pathways and the development to follow "
    "them.",
    Pillar.SUSTAINABILITY: "Technical skills kept and passed on, and technical expertise fully "
    "used.",
}


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    # A plan's period falls within these years and lasts at most MAX_YEARS (checked by
    # actionplan.services.plan_period_errors): every date sum on plans stays far from year 9999.
    EARLIEST_YEAR = 2000
    LATEST_YEAR = 2100
    MAX_YEARS = 10

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    starts_on = models.DateField("starts on")
    ends_on = models.DateField("ends on")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_plan",
        help_text="The plan this one follows on from.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="action_plan_ends_after_it_starts",
                violation_error_message="The plan must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("actionplan:detail", self.pk)

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        BLOCKED = "blocked", "Blocked"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    pillar = models.CharField(max_length=20, choices=Pillar.choices, db_index=True)
    ref = models.CharField(
        "reference", max_length=20, help_text="Short and unique within the plan, e.g. V1.2."
    )
    title = models.CharField("action", max_length=300)
    description = models.TextField(blank=True, max_length=5000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
        help_text="The person who reports progress on this action.",
    )
    lead = models.CharField(
        max_length=200, blank=True, help_text="The team or role leading the work."
    )
    due_on = models.DateField("due on")
    success_measure = models.TextField(blank=True, max_length=2000)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Per cent done, 0 to 100.",
    )
    continues = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continued_by",
        help_text="The unfinished action of an earlier plan that this one carries on.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated"])

    # Completing an action sets its progress to 100 % in every service (forms, updates, the
    # import); the database does not refuse other pairs, so bulk loads and fixtures that write
    # "complete" with another progress still load (RAG reads the status: Complete).

    class Meta:
        ordering = ["due_on", "ref", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "ref"],
                name="action_ref_unique_in_plan",
                violation_error_message="Another action in this plan has this reference.",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="action_progress_0_to_100",
                violation_error_message="Progress must be a whole number from 0 to 100.",
            ),
        ]
        indexes = [models.Index(fields=["plan", "pillar"]), models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def get_absolute_url(self) -> str:
        return url_for("actionplan:action_detail", self.plan_id, self.pk)

    @property
    def rag(self) -> rag.Rag:
        return rag.rag_for(self.status, self.progress, self.due_on)


def evidence_upload_to(instance, filename: str) -> str:
    return random_upload_name("evidence", filename)


class ActionUpdate(models.Model):
    """A progress report on an action: a note, the new progress and status, and evidence."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="action_updates",
    )
    note = models.TextField(max_length=5000)
    progress = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    evidence = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=200)
    evidence_name = models.CharField(
        max_length=200, blank=True, help_text="The uploaded file's name, for downloads."
    )
    evidence_content_type = models.CharField(max_length=120, blank=True)
    evidence_url = models.URLField("evidence link", blank=True, max_length=500)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="action_update_progress_0_to_100",
                violation_error_message="Progress must be a whole number from 0 to 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref}: {self.get_status_display()} {self.progress} %"

    def get_evidence_url(self) -> str:
        return reverse("actionplan:evidence", args=[self.action.plan_id, self.action_id, self.pk])
