"""Recognition and development money: the development fund (calls, applications, panels,
claims and reports), the awards scheme (categories, nominations, judging rounds) and fair
attribution of research outputs (outputs, contributions with CRediT roles).

Every change goes through `recognition.services`; these models hold the data and the few
derived values a page shows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from portal.imports.storage import private_storage
from portal.reversing import url_for
from portal.uploads import random_upload_name

MONEY = {"max_digits": 10, "decimal_places": 2}

# The 14 contributor roles of CRediT (the Contributor Roles Taxonomy, NISO Z39.104-2022).
CREDIT_ROLES = [
    ("conceptualization", "Conceptualization"),
    ("data-curation", "Data curation"),
    ("formal-analysis", "Formal analysis"),
    ("funding-acquisition", "Funding acquisition"),
    ("investigation", "Investigation"),
    ("methodology", "Methodology"),
    ("project-administration", "Project administration"),
    ("resources", "Resources"),
    ("software", "Software"),
    ("supervision", "Supervision"),
    ("validation", "Validation"),
    ("visualization", "Visualization"),
    ("writing-original-draft", "Writing – original draft"),
    ("writing-review-editing", "Writing – review & editing"),
]
CREDIT_ROLE_CODES = [code for code, _ in CREDIT_ROLES]
CREDIT_ROLE_LABELS = dict(CREDIT_ROLES)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- panels (the fund's calls and the awards' judging rounds) --------------------------------


class Panel(models.Model):
    """The people who score one call's applications or one round's nominations, against
    the criteria, until `scoring_closes_on` (included). The coordinator (with HR) sees the
    ranking once scoring has closed, and decides."""

    name = models.CharField(max_length=200)
    criteria = models.TextField(
        help_text="One criterion a line: each member scores each one from 1 to 5."
    )
    scoring_closes_on = models.DateField(help_text="The last day members can score.")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_panels",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="recognition_panels"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def criteria_list(self) -> list[str]:
        return _lines(self.criteria)

    def scoring_closed(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.scoring_closes_on


class Review(models.Model):
    """One member's view of one application or nomination: a declared conflict, or a score
    from 1 to 5 for each criterion (in the panel's order) with a comment."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognition_reviews"
    )
    application = models.ForeignKey(
        "FundApplication", null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    nomination = models.ForeignKey(
        "Nomination", null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    conflict = models.BooleanField(default=False)
    conflict_reason = models.CharField(max_length=500, blank=True)
    scores = models.JSONField(default=list, blank=True)
    comment = models.TextField(max_length=5000, blank=True)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "application"],
                condition=models.Q(application__isnull=False),
                name="one_review_per_member_and_application",
            ),
            models.UniqueConstraint(
                fields=["reviewer", "nomination"],
                condition=models.Q(nomination__isnull=False),
                name="one_review_per_member_and_nomination",
            ),
            models.CheckConstraint(
                condition=models.Q(application__isnull=True, nomination__isnull=False)
                | models.Q(application__isnull=False, nomination__isnull=True),
                name="review_of_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"Review by {self.reviewer_id} on {self.application_id or self.nomination_id}"

    @property
    def mean(self) -> float | None:
        if self.conflict or not self.scores:
            return None
        return sum(self.scores) / len(self.scores)


# --- the development fund ----------------------------------------------------------------------


class FundCall(models.Model):
    """A call for applications to the development fund, with its pot and its limits."""

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    opens_on = models.DateField()
    closes_on = models.DateField(help_text="The last day applications can be submitted.")
    pot = models.DecimalField(
        "pot", **MONEY, validators=[MinValueValidator(Decimal("0"))], help_text="In pounds."
    )
    max_award = models.DecimalField(
        "largest award", **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_share_certified = models.PositiveSmallIntegerField(
        "largest share of a certified activity's cost (%)",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_share_other = models.PositiveSmallIntegerField(
        "largest share of another activity's cost (%)",
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    min_days_ahead = models.PositiveSmallIntegerField(
        "days ahead the activity must start",
        default=28,
        help_text="An application is accepted when the activity starts at least this many days "
        "after the day it is submitted.",
    )
    questions = models.TextField(
        blank=True, help_text="One question a line: every applicant answers each."
    )
    report_back_weeks = models.PositiveSmallIntegerField(
        "report-back period (weeks)",
        default=4,
        help_text="The report is due this many weeks after the activity ends.",
    )
    panel = models.OneToOneField(
        Panel, null=True, blank=True, on_delete=models.SET_NULL, related_name="call"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="fund_call_closes_after_opening",
                violation_error_message="A call closes on or after the day it opens.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("recognition:call", self.pk)

    @property
    def questions_list(self) -> list[str]:
        return _lines(self.questions)

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def has_closed(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.closes_on

    def state(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "upcoming"
        if today <= self.closes_on:
            return "open"
        return "closed"


def receipt_upload_to(instance, filename: str) -> str:
    return random_upload_name("recognition/receipts", filename)


class FundApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted, with the panel"
        AWARDED = "awarded", "Awarded"
        NOT_FUNDED = "not_funded", "Not funded"
        CLAIMED = "claimed", "Claim sent, waiting for payment"
        PAID = "paid", "Paid, report due"
        REPORTED = "reported", "Reported back"
        WITHDRAWN = "withdrawn", "Award withdrawn"

    # What counts against the call's pot.
    FUNDED = (Status.AWARDED, Status.CLAIMED, Status.PAID, Status.REPORTED)
    # Awards whose report is still to come.
    REPORT_DUE = (Status.AWARDED, Status.CLAIMED, Status.PAID)

    call = models.ForeignKey(FundCall, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        "technicians.Technician", on_delete=models.PROTECT, related_name="fund_applications"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The applicant, or their line manager on their behalf.",
    )
    activity = models.CharField(max_length=300, help_text="The course, event or visit.")
    certified = models.BooleanField(
        "a certified course",
        default=False,
        help_text="Leads to a certificate or qualification (a lower share of the cost is funded).",
    )
    activity_starts_on = models.DateField()
    activity_ends_on = models.DateField()
    cost = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    amount_requested = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    match_funding = models.DecimalField(
        **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    match_funding_source = models.CharField(max_length=300, blank=True)
    expected_return = models.TextField(
        max_length=5000, help_text="What it brings to your role and to your team."
    )
    sharing_plan = models.TextField("how you will share what you learn", max_length=5000)
    answers = models.JSONField(default=list, blank=True)  # one answer per call question
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    amount_awarded = models.DecimalField(**MONEY, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField("panel feedback", max_length=5000, blank=True)
    report_due_on = models.DateField(null=True, blank=True, db_index=True)
    amount_claimed = models.DecimalField(**MONEY, null=True, blank=True)
    amount_paid = models.DecimalField(**MONEY, null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    report = models.TextField(max_length=10000, blank=True)
    report_shareable = models.BooleanField(
        "share as an impact story",
        default=False,
        help_text="Shown on the public Commitment page and in the annual report.",
    )
    reported_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(max_length=5000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=0), name="fund_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(activity_ends_on__gte=models.F("activity_starts_on")),
                name="fund_activity_ends_after_start",
                violation_error_message="The activity ends on or after the day it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} – {self.activity}"

    def get_absolute_url(self) -> str:
        return url_for("recognition:application", self.pk)

    @property
    def answered_questions(self) -> list[tuple[str, str]]:
        answers = list(self.answers or [])
        return [
            (question, answers[i] if i < len(answers) else "")
            for i, question in enumerate(self.call.questions_list)
        ]

    def report_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.status in self.REPORT_DUE and self.report_due_on and self.report_due_on < today
        )


class FundEvent(models.Model):
    """One step of an application's timeline: who moved it, from which state to which, why."""

    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(max_length=5000, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '—'} → {self.to_status}"


class Receipt(models.Model):
    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="receipts"
    )
    file = models.FileField(upload_to=receipt_upload_to, storage=private_storage, max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for("recognition:receipt", self.application_id, self.pk)


# --- the awards scheme -----------------------------------------------------------------------


class AwardCategory(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(max_length=2000, blank=True)
    is_team = models.BooleanField(
        "team award", default=False, help_text="The nomination names the team's members."
    )
    newcomer_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Only people who started under this many years ago (from their start date).",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "award categories"

    def __str__(self) -> str:
        return self.name


class JudgingRound(models.Model):
    """One judging round: nominations received up to `cutoff_on` (included) that no earlier
    round took. `year` and `number` (1 or 2 by default) name it; its panel scores them."""

    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    cutoff_on = models.DateField()
    panel = models.OneToOneField(
        Panel, null=True, blank=True, on_delete=models.SET_NULL, related_name="judging_round"
    )

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="one_judging_round"),
        ]

    def __str__(self) -> str:
        return f"Judging round {self.number} of {self.year}"

    def get_absolute_url(self) -> str:
        return url_for("recognition:round", self.pk)


class Nomination(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for judging"
        WINNER = "winner", "Winner"
        NOT_AWARDED = "not_awarded", "Not awarded"

    category = models.ForeignKey(
        AwardCategory, on_delete=models.PROTECT, related_name="nominations"
    )
    nominee = models.ForeignKey(
        "technicians.Technician", on_delete=models.PROTECT, related_name="nominations"
    )
    team = models.ManyToManyField(
        "technicians.Technician", blank=True, related_name="team_nominations"
    )
    team_name = models.CharField(max_length=200, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations_made"
    )
    statement = models.TextField(max_length=5000)
    round_year = models.PositiveSmallIntegerField(db_index=True)
    round_number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    consent_to_publish = models.BooleanField(
        default=False, help_text="The winner agrees to the award being shown on their profile."
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["round_year", "round_number"], name="nomination_round")]

    def __str__(self) -> str:
        return f"{self.nominee} – {self.category}"

    def get_absolute_url(self) -> str:
        return url_for("recognition:nomination", self.pk)

    @property
    def round_label(self) -> str:
        return f"round {self.round_number} of {self.round_year}"


class NominationEvent(models.Model):
    """One step of a nomination's timeline: made, then judged (winner or not awarded), with
    who moved it."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(max_length=2000, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.from_status or '—'} → {self.to_status}"


class Testimony(models.Model):
    """A supporting testimony, written by a colleague through a signed link sent by e-mail."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="testimonies")
    supporter = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="testimonies"
    )
    text = models.TextField(max_length=3000, blank=True)
    requested = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "supporter"], name="one_testimony_per_supporter"
            ),
        ]

    def __str__(self) -> str:
        return f"Testimony of {self.supporter_id} for nomination {self.nomination_id}"


# --- fair attribution ------------------------------------------------------------------------


class Output(models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        DATASET = "dataset", "Dataset"
        SOFTWARE = "software", "Software"
        METHOD = "method", "Method"
        OTHER = "other", "Other"

    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PAPER)
    doi = models.CharField("DOI", max_length=200, blank=True, db_index=True)
    url = models.URLField("URL", max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    journal = models.CharField(
        "journal or venue", max_length=300, blank=True, help_text="Where it was published."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url


class Contribution(models.Model):
    """A technician's part in an output: their CRediT roles, and whether they were an author
    or acknowledged. An imported work waits (`confirmed` False) until the technician says it
    is theirs and gives their roles."""

    class Credit(models.TextChoices):
        AUTHOR = "author", "Author"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        NEITHER = "neither", "Neither"

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="contributions")
    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="contributions"
    )
    roles = models.JSONField(default=list, blank=True)  # CRediT role codes
    credit = models.CharField(max_length=20, choices=Credit.choices, default=Credit.AUTHOR)
    confirmed = models.BooleanField(default=True)
    source = models.CharField(max_length=20, default="manual")  # manual | orcid
    orcid_put_code = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-output__year", "output__title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["output", "technician"], name="one_contribution_per_output"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technician} – {self.output}"

    @property
    def role_labels(self) -> list[str]:
        return [CREDIT_ROLE_LABELS.get(code, code) for code in self.roles or []]
