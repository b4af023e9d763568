"""The institution's Commitment: its submissions (self-assessment, peer review) and its
reporting (the annual progress report, its highlights and approval)."""

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
    # A report is a draft until the steering chair approves it (then made again as approved).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
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


# --- the institution's Commitment ---------------------------------------------------------

PILLARS = (
    ("visibility", "Visibility"),
    ("recognition", "Recognition"),
    ("career_development", "Career development"),
    ("sustainability", "Sustainability"),
)


class Commitment(models.Model):
    """The institution's Technician Commitment: one per portal (the `singleton` column)."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    signed_on = models.DateField("signed on")
    announced_on = models.DateField(
        "announced on", help_text="The date the institution announced that it signed."
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments_led",
        help_text="The named lead: submission reminders go to this person.",
    )
    champion = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(
        "public contact address", blank=True, help_text="Shown on the public Commitment page."
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments_chaired",
        help_text="The steering chair, who approves the annual report.",
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="one_commitment_per_portal"
            ),
        ]

    def __str__(self) -> str:
        return f"Technician Commitment, signed {self.signed_on:%d %B %Y}"


class Submission(models.Model):
    """One stage's self-assessment and action plan. `due_on` is when it is due now (after an
    extension, the next window); `snapshot` is the document as submitted (frozen)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DRAFTING = "drafting", "Drafting"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Reviewed"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="submissions")
    stage = models.PositiveSmallIntegerField()
    due_on = models.DateField("due on")
    extended = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    submitted_on = models.DateField("submitted on", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closes_plan = models.ForeignKey(
        "actionplan.ActionPlan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The plan this submission reflects on.",
    )
    next_plan = models.ForeignKey(
        "actionplan.ActionPlan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The new plan this submission sets out.",
    )
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "stage"], name="one_submission_a_stage"),
        ]

    def __str__(self) -> str:
        return f"Stage {self.stage} ({self.get_status_display().lower()})"

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.REVIEWED)


class SubmissionEvent(models.Model):
    """A typed step of a submission's workflow, with who took it."""

    class Kind(models.TextChoices):
        STARTED = "started", "Drafting started"
        EXTENDED = "extended", "Extended to the next window"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Peer review recorded"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.submission})"


class PillarAssessment(models.Model):
    """What the steering group writes for one pillar of a submission's self-assessment."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="pillars")
    pillar = models.CharField(max_length=20, choices=PILLARS)
    reflection = models.TextField(blank=True, max_length=10000)
    voice = models.TextField("technician voice", blank=True, max_length=10000)
    strengths = models.TextField(
        "peer-review strengths", blank=True, max_length=10000, help_text="From the feedback report."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "pillar"], name="one_assessment_a_pillar"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_pillar_display()} ({self.submission})"


class Advice(models.Model):
    """One piece of the peer reviewers' advice on a pillar, and the action it became."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="advice")
    pillar = models.CharField(max_length=20, choices=PILLARS)
    text = models.TextField(max_length=5000)
    action = models.ForeignKey(
        "actionplan.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The action this advice became.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pillar", "created", "pk"]
        verbose_name_plural = "advice"

    def __str__(self) -> str:
        return f"{self.get_pillar_display()}: {self.text[:60]}"


class ReportHighlight(models.Model):
    """A highlight of an academic year's annual report (a case study, an award), written by
    the steering group before the report is rendered."""

    year = models.PositiveSmallIntegerField(db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "created", "pk"]

    def __str__(self) -> str:
        return self.title


class StoredFigures(models.Model):
    """HR's figures page for one academic year, as last worked out: the same for every reader,
    so it is built by the worker (every quarter of an hour, and when someone asks) and read
    per request, with the time it was worked out shown beside it. The CSVs stay live."""

    year = models.PositiveSmallIntegerField(unique=True)
    html = models.TextField()
    # The years offered beside it (`selectors.years_with_data` then): [[2025, "2025–26"], …].
    years = models.JSONField(default=list)
    # The report's headline figures, as the dashboards show them: [[pillar, label, text], …].
    headlines = models.JSONField(default=list)
    computed_at = models.DateTimeField()
    # When a refresh was last queued (cleared when it is done): readers queue one, not many.
    refresh_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "stored figures"

    def __str__(self) -> str:
        return f"Figures {self.year}, worked out {self.computed_at:%Y-%m-%d %H:%M}"
