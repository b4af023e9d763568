from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

from portal.reversing import url_for
from portal.uploads import random_upload_name
from technicians.indexes import SearchVectorIndex
from technicians.validators import validate_orcid


class Department(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    faculty = models.CharField(max_length=200, db_index=True)
    helpdesk_email = models.EmailField(
        blank=True, help_text="The department's technical helpdesk address."
    )

    class Meta:
        ordering = ["faculty", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for("technicians:department", self.slug)


def photo_upload_to(instance, filename: str) -> str:
    return random_upload_name("photos", filename)


class Technician(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone, on Meet our technicians"
        INTERNAL = "internal", "Internal: staff who are logged in"
        PRIVATE = "private", "Private: only me, HR and administrators"

    class RoleFamily(models.TextChoices):
        LABORATORY = "laboratory", "Laboratory"
        ENGINEERING = "engineering", "Engineering and workshop"
        DIGITAL = "digital", "Digital and IT"
        RESEARCH = "research", "Research facility"
        TEACHING = "teaching", "Teaching and learning"
        CREATIVE = "creative", "Creative and media"
        ANIMAL = "animal", "Animal care"
        ESTATES = "estates", "Estates and facilities"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="technician",
    )
    staff_number = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", "Letters, digits and hyphens only.")],
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    job_title = models.CharField(max_length=200)
    role_family = models.CharField(max_length=20, choices=RoleFamily.choices, db_index=True)
    grade = models.CharField(max_length=20, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="technicians")
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    photo = models.ImageField(upload_to=photo_upload_to, blank=True)
    photo_thumbnail = models.ImageField(upload_to=photo_upload_to, blank=True, editable=False)
    bio = models.TextField(blank=True, max_length=3000)
    expertise = models.TextField(
        blank=True, max_length=2000, help_text="Techniques and areas you are expert in."
    )
    equipment = models.TextField(
        blank=True, max_length=2000, help_text="Instruments and kit you run or can train others on."
    )
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="0000-0000-0000-0000",
    )
    started_on = models.DateField(null=True, blank=True)
    fte = models.DecimalField(
        "FTE",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text="Full-time equivalent, 0.01 to 1.00: the training target is pro rata.",
    )
    is_apprentice = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True, help_text="Leavers are inactive, never deleted.")
    # The day the person left (set when the staff list or HR marks a leaver; cleared when they
    # come back): the retention period (PORTAL_RETENTION_YEARS_AFTER_LEAVING) counts from it.
    left_on = models.DateField(null=True, blank=True, db_index=True)
    # The day their personal data was anonymised after the retention period (never again).
    anonymised_on = models.DateField(null=True, blank=True, editable=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL, db_index=True
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # What the directory search reads on PostgreSQL, kept current by technicians.search.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="technician_email_ci_unique"),
        ]
        indexes = [
            SearchVectorIndex(fields=["search_vector"], name="technician_search_gin"),
            # The lists' order (directory, Meet our technicians, departments): a page of 24
            # read in name order instead of every visible technician sorted.
            models.Index(fields=["last_name", "first_name", "id"], name="technician_name_order"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return url_for("technicians:detail", self.pk)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StaffListMapping(models.Model):
    """How this institution's HR system writes its staff list, kept for every later file.

    `columns` maps each of the staff list's columns (technicians.staff_list.columns) to the
    HR export's own column name, in lower case ("staff_number": "employee number"); an empty
    name means the export has no such column, and the directory's value is kept. A column not
    named at all is read under the portal's own name. The rule "who counts as a technician"
    keeps only rows whose `technician_column` holds one of `technician_values` (any case);
    other rows are ignored, never made leavers. One row per portal (`current()`).
    """

    columns = models.JSONField(default=dict, blank=True)
    role_family_default = models.CharField(
        "role family of someone new",
        max_length=20,
        choices=Technician.RoleFamily.choices,
        blank=True,
        help_text="When the export has no role family column: the role family given to a new "
        "technician (HR can change it later in the admin). Existing technicians keep theirs.",
    )
    technician_column = models.CharField(
        "column that says who is a technician",
        max_length=100,
        blank=True,
        help_text="The export's column, such as Job Family or Grade. Blank: every row is a "
        "technician.",
    )
    technician_values = models.JSONField(
        default=list,
        blank=True,
        help_text="The values of that column that mean a technician, such as Technical.",
    )
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "staff list column mapping"

    def __str__(self) -> str:
        return "Staff list column mapping"

    @classmethod
    def current(cls) -> "StaffListMapping":
        """The saved mapping, or an empty one (unsaved): the portal's own column names."""
        return cls.objects.order_by("pk").first() or cls()

    @property
    def has_rule(self) -> bool:
        return bool(self.technician_column and self.technician_values)
