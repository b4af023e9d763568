"""Professional registration: the registers and the bodies that award them, technicians'
registrations, their CPD entries, and the funding of registration fees.

The funding workflow (services.py) runs draft → submitted → endorsed → approved | rejected →
registered → paid, with withdrawn open to the applicant before a decision. Every transition
leaves a FundingEvent. Approvals are counted against the FundingBudget of the UK financial
year (1 April – 31 March) in which they are approved.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.periods import financial_year_label, format_money
from portal.reversing import url_for
from portal.uploads import random_upload_name

DEMO_FEES_NOTE = (
    "Demo values: the Science Council's published 2025 application fees for RSciTech, RSci "
    "and CSci; the other registers' fees are illustrative. HR should check them against the "
    "body's current fees."
)


class Council(models.TextChoices):
    SCIENCE = "science", "Science Council"
    ENGINEERING = "engineering", "Engineering Council"
    OTHER = "other", "Other"


class Register(models.Model):
    """A professional register, e.g. Registered Science Technician (RSciTech)."""

    code = models.CharField(
        max_length=20, unique=True, help_text="The register's short code, e.g. RSciTech."
    )
    council = models.CharField(max_length=20, choices=Council.choices)
    title = models.CharField(max_length=120, help_text="E.g. Registered Science Technician.")
    post_nominal = models.CharField(
        max_length=20, help_text="The letters a registrant puts after their name."
    )
    application_fee = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="One-off application fee, in pounds.",
    )
    annual_fee = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Annual registration fee (the first year is funded), in pounds.",
    )
    fee_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the fees come from (e.g. that they are demo values).",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def first_year_cost(self) -> Decimal:
        return self.application_fee + self.annual_fee


class ProfessionalBody(models.Model):
    """A licensed body (Science Council) or professional engineering institution (Engineering
    Council) through which a technician registers."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=30, blank=True)
    council = models.CharField(max_length=20, choices=Council.choices)
    registers = models.ManyToManyField(
        Register, related_name="bodies", blank=True, help_text="The registers it can award."
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "professional bodies"

    def __str__(self) -> str:
        return self.short_name or self.name


def proof_upload_to(instance, filename: str) -> str:
    return random_upload_name("registration-proofs", filename)


def cpd_evidence_upload_to(instance, filename: str) -> str:
    return random_upload_name("cpd-evidence", filename)


class Registration(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LAPSED = "lapsed", "Lapsed"
        IN_PROGRESS = "in_progress", "In progress"

    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="registrations"
    )
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="registrations")
    body = models.ForeignKey(
        ProfessionalBody,
        on_delete=models.PROTECT,
        related_name="registrations",
        help_text="The licensed body or institution you registered through.",
    )
    membership_number = models.CharField(max_length=50, blank=True)
    registered_on = models.DateField("date registered", null=True, blank=True)
    renewal_due_on = models.DateField("renewal due", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["register__order", "register__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["technician", "register"],
                name="registration_once_per_register",
                violation_error_message="This technician already has a registration on this "
                "register.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technician} – {self.register.code}"

    @property
    def shows_post_nominal(self) -> bool:
        return self.status == self.Status.ACTIVE


class CPDEntry(models.Model):
    """A continuing professional development activity a technician records here (the training
    ledger's entries join these in the CPD record)."""

    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="cpd_entries"
    )
    date = models.DateField()
    activity = models.CharField(max_length=300, help_text="What you did.")
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="Time spent, in hours (e.g. 1.5).",
    )
    learning = models.TextField(
        "what I learned", max_length=5000, help_text="What you learned and how you will use it."
    )
    evidence = models.FileField(upload_to=cpd_evidence_upload_to, blank=True, max_length=200)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "CPD entry"
        verbose_name_plural = "CPD entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="cpd_entry_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.activity}"

    def get_evidence_url(self) -> str:
        return reverse("registration:cpd_evidence", args=[self.pk])


class FundingApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted, waiting for endorsement"
        ENDORSED = "endorsed", "Endorsed, waiting for a decision"
        APPROVED = "approved", "Approved, waiting for proof of registration"
        REJECTED = "rejected", "Rejected"
        REGISTERED = "registered", "Registered, waiting for payment"
        PAID = "paid", "Paid"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Approved, registered and paid applications count against the year's budget.
    COMMITTED = (Status.APPROVED, Status.REGISTERED)
    SPENT = (Status.PAID,)
    FUNDED = (Status.APPROVED, Status.REGISTERED, Status.PAID)
    OPEN = (Status.DRAFT, Status.SUBMITTED, Status.ENDORSED, Status.APPROVED, Status.REGISTERED)

    applicant = models.ForeignKey(
        "technicians.Technician", on_delete=models.PROTECT, related_name="funding_applications"
    )
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="applications")
    body = models.ForeignKey(
        ProfessionalBody,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text="The licensed body or institution you will apply through.",
    )
    # The register's fees when the application was made (services copy them).
    application_fee = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))
    annual_fee = models.DecimalField(
        "first year's fee", max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    amount_requested = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="The application fee plus the first year's fee, unless you give a reason.",
    )
    amount_reason = models.CharField(
        "reason for a different amount",
        max_length=500,
        blank=True,
        help_text="Needed only when the amount is not the application fee plus the first "
        "year's fee (e.g. a reduced rate for members).",
    )
    justification = models.TextField(
        max_length=5000,
        help_text="Why this registration, and how it helps your work and career.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=5000, blank=True)
    proof = models.FileField(
        "proof of registration", upload_to=proof_upload_to, blank=True, max_length=200
    )
    proof_name = models.CharField(max_length=200, blank=True)
    proof_content_type = models.CharField(max_length=120, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    financial_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The UK financial year whose budget pays for it (2026 = April 2026 – March "
        "2027): the year it was approved in.",
    )
    status_changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-status_changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=0),
                name="funding_amount_positive",
                violation_error_message="The amount must be more than £0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} – {self.register.code} ({format_money(self.amount_requested)})"

    def get_absolute_url(self) -> str:
        return url_for("registration:application", self.pk)

    @property
    def standard_amount(self) -> Decimal:
        return self.application_fee + self.annual_fee

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year) if self.financial_year else ""


class FundingEvent(models.Model):
    """One step of an application's timeline: who moved it from which state to which, and why."""

    application = models.ForeignKey(
        FundingApplication, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        max_length=20, choices=FundingApplication.Status.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=FundingApplication.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(max_length=5000, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '—'} → {self.to_status}"


class FundingBudget(models.Model):
    """The money set aside for registration fees in one UK financial year."""

    financial_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year it starts in: 2026 means 1 April 2026 – 31 March 2027."
    )
    amount = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-financial_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="funding_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{financial_year_label(self.financial_year)}: {format_money(self.amount)}"

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)
