"""Career pathways (bands and what each expects) and mentoring (schemes, rounds,
applications, pairs, meetings, evaluations).

A pathway holds ordered bands; a band maps to HR grades and expects skills at a level (by
named skill or any N of a category), training days a year, a registration at a level and years
of experience. A technician's band comes from their grade, unless HR overrides it with a
reason (`BandOverride`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from portal.reversing import url_for


class Pathway(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=3000)
    role_families = models.JSONField(
        default=list,
        blank=True,
        help_text="The role families whose technicians follow this pathway unless HR says "
        "otherwise (laboratory, engineering, digital, research, teaching, …).",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for("careers:pathway", self.pk)


class Band(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="bands")
    order = models.PositiveSmallIntegerField(help_text="1 is the entry band.")
    name = models.CharField(max_length=120)
    outline = models.TextField("role outline", blank=True, max_length=3000)
    grades = models.JSONField(
        default=list, blank=True, help_text="The HR grades this band maps to, such as 5 or 6."
    )
    training_days = models.DecimalField(
        "training days a year",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Average over the last two years, pro rata by FTE. Blank: no expectation.",
    )
    register = models.ForeignKey(
        "registration.Register",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A professional registration at this level or above (same council).",
    )
    years_experience = models.PositiveSmallIntegerField(
        "years of experience",
        null=True,
        blank=True,
        help_text="Years since the technician started here. Blank: no expectation.",
    )

    class Meta:
        ordering = ["pathway", "order"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "order"], name="band_order_per_pathway"),
        ]

    def __str__(self) -> str:
        return f"{self.pathway}: {self.name}"


class BandSkill(models.Model):
    """A skill expectation of a band: a named skill at a level, or any `count` skills of a
    category at a level."""

    band = models.ForeignKey(Band, on_delete=models.CASCADE, related_name="skill_expectations")
    skill = models.ForeignKey(
        "skills.Skill", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(max_length=100, blank=True)
    count = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        ordering = ["band", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(skill__isnull=False) & models.Q(category=""))
                | (models.Q(skill__isnull=True) & ~models.Q(category="")),
                name="band_skill_named_or_category",
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="band_skill_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        if self.skill_id:
            return f"{self.skill} at level {self.level}"
        return f"any {self.count} in {self.category} at level {self.level}"


class BandOverride(models.Model):
    """HR places a technician in a band other than their grade's, with a reason."""

    technician = models.OneToOneField(
        "technicians.Technician", on_delete=models.CASCADE, related_name="band_override"
    )
    band = models.ForeignKey(Band, on_delete=models.CASCADE, related_name="overrides")
    reason = models.TextField(max_length=2000)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.technician}: {self.band}"


class CareerStatement(models.Model):
    """The person's own statement for a promotion case, printed in the evidence pack."""

    technician = models.OneToOneField(
        "technicians.Technician", on_delete=models.CASCADE, related_name="career_statement"
    )
    text = models.TextField(max_length=6000, blank=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Statement of {self.technician}"


# --- mentoring ----------------------------------------------------------------------------


class CareerArea(models.TextChoices):
    RESEARCH = "research", "Research"
    TEACHING = "teaching", "Teaching"
    OPERATIONS = "operations", "Operations"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    SPECIALIST = "specialist", "Specialist"


class MentoringScheme(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=3000)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MentoringRound(models.Model):
    """A round of a scheme: applications while the window is open, then the coordinator's
    matching; `status` moves from draft to published once, through `portal.workflow.transition`
    (careers.services.publish_round), after which its pairs no longer change."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not yet published"
        PUBLISHED = "published", "Published"

    scheme = models.ForeignKey(MentoringScheme, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(max_length=120, help_text="Such as Spring 2026.")
    applications_open_on = models.DateField()
    applications_close_on = models.DateField()
    matching_on = models.DateField()
    months = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    max_grade_gap = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The largest difference in grade between mentor and mentee. Blank: any.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-applications_open_on", "pk"]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.name}"

    def get_absolute_url(self) -> str:
        return url_for("careers:round", self.pk)

    def is_open(self, today) -> bool:
        return (
            self.status == self.Status.DRAFT
            and self.applications_open_on <= today <= self.applications_close_on
        )


class MentoringApplication(models.Model):
    round = models.ForeignKey(MentoringRound, on_delete=models.CASCADE, related_name="applications")
    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="mentoring_applications"
    )
    as_mentor = models.BooleanField("as a mentor", default=False)
    as_mentee = models.BooleanField("as a mentee", default=False)
    capacity = models.PositiveSmallIntegerField(
        "mentees I will take",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    topics_offered = models.ManyToManyField(
        "skills.Skill", blank=True, related_name="+", verbose_name="skills I can offer"
    )
    topics_sought = models.ManyToManyField(
        "skills.Skill", blank=True, related_name="+", verbose_name="skills I want to develop"
    )
    topics_text = models.CharField(
        "other topics", max_length=500, blank=True, help_text="In your own words."
    )
    career_areas = models.JSONField(default=list, blank=True)
    # Preferences: optional, seen by the coordinators only.
    prefers_other_department = models.BooleanField(
        "a partner from another department", default=False
    )
    prefers_same_site = models.BooleanField("a partner on the same site", default=False)
    preferences_note = models.CharField(
        "other preferences",
        max_length=500,
        blank=True,
        help_text="Such as a mentor of the same gender. Only the coordinators read this.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "technician"], name="one_mentoring_application_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(as_mentor=True) | models.Q(as_mentee=True),
                name="mentoring_application_mentor_or_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technician} in {self.round}"


class MentoringPair(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        REMOVED = "removed", "Removed by the coordinator"
        ACTIVE = "active", "Published"

    round = models.ForeignKey(MentoringRound, on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="mentoring_as_mentor"
    )
    mentee = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="mentoring_as_mentee"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    pinned = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal("0"))
    reasons = models.JSONField(default=list, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "mentor__last_name", "mentee__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "mentor", "mentee"], name="one_pair_per_round"
            ),
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="mentoring_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee}"

    def get_absolute_url(self) -> str:
        return url_for("careers:pair", self.pk)


class MentoringEvent(models.Model):
    """What happened to a round or its pairs, and who did it: a typed event (matching, pin,
    swap, removal, publishing…), with the state moved from and to when it was a move of the
    workflow (portal.workflow.transition)."""

    class Kind(models.TextChoices):
        MATCHED = "matched", "Matching run"
        PAIRED = "paired", "Paired by hand"
        PINNED = "pinned", "Pinned"
        UNPINNED = "unpinned", "Unpinned"
        SWAPPED = "swapped", "Swapped"
        REMOVED = "removed", "Removed"
        RESTORED = "restored", "Restored"
        PUBLISHED = "published", "Published"

    round = models.ForeignKey(MentoringRound, on_delete=models.CASCADE, related_name="events")
    pair = models.ForeignKey(
        MentoringPair, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.created:%Y-%m-%d})"


class MentoringMeeting(models.Model):
    pair = models.ForeignKey(MentoringPair, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    note = models.TextField(
        "private note",
        blank=True,
        max_length=3000,
        help_text="Only the two of you can read it.",
    )
    logged_by = models.ForeignKey(
        "technicians.Technician", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Meeting of {self.date}"


class MentoringEvaluation(models.Model):
    class Stage(models.TextChoices):
        END = "end", "At the end of the pairing"
        FOLLOW_UP = "follow_up", "Six months later"

    pair = models.ForeignKey(MentoringPair, on_delete=models.CASCADE, related_name="evaluations")
    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    usefulness = models.PositiveSmallIntegerField(
        "how useful was the mentoring (1 to 5)",
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    goals_met = models.PositiveSmallIntegerField(
        "how far were your goals met (1 to 5)",
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(blank=True, max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "technician", "stage"], name="one_evaluation_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation ({self.stage}) of {self.pair_id}"
