"""The skills matrix's data: skills, each technician's level in them (with reviews and a
line manager's validation), and shadowing requests.

The tables keep the names they had when these models lived in `technicians`
(`technicians_skill`, `technicians_technicianskill`, `technicians_shadowingrequest`): the move
changed where the code is, not the data.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from technicians.models import Technician


class Skill(models.Model):
    name = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=100, db_index=True)

    # Who lists the skill (through their level); `technician.skills` from the other side.
    technicians = models.ManyToManyField(
        Technician, through="TechnicianSkill", related_name="skills", blank=True
    )

    class Meta:
        db_table = "technicians_skill"
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class TechnicianSkill(models.Model):
    class Level(models.IntegerChoices):
        AWARE = 1, "Aware"
        PRACTITIONER = 2, "Practitioner"
        EXPERT = 3, "Expert"
        TRAINER = 4, "Can train others"

    technician = models.ForeignKey(
        Technician, on_delete=models.CASCADE, related_name="technician_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="technician_skills")
    level = models.PositiveSmallIntegerField(
        choices=Level.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    # Reviews (skills.risk): a self-rating goes stale when unconfirmed for too long,
    # and a line manager may validate it, possibly at another level.
    confirmed_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the technician last confirmed this level (empty: never confirmed).",
    )
    validated_level = models.PositiveSmallIntegerField(
        choices=Level.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="The level the line manager agreed, which may differ from the self-rating.",
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="validated_skills",
        help_text="The line manager who validated the level.",
    )
    validated_on = models.DateField(null=True, blank=True)
    wants_to_learn = models.BooleanField(
        default=False,
        help_text="The technician wants to learn this skill, or to go further in it.",
    )

    class Meta:
        db_table = "technicians_technicianskill"
        ordering = ["-level", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["technician", "skill"], name="one_level_per_skill"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="skill_level_1_to_4"
            ),
            models.CheckConstraint(
                condition=models.Q(validated_level__isnull=True)
                | models.Q(validated_level__gte=1, validated_level__lte=4),
                name="validated_level_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()})"

    @property
    def validation_differs(self) -> bool:
        return self.validated_level is not None and self.validated_level != self.level


class ShadowingRequest(models.Model):
    """A technician asks a colleague who can train others in a skill to let them shadow."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    OPEN_STATUSES = (Status.REQUESTED, Status.ACCEPTED)

    learner = models.ForeignKey(
        Technician, on_delete=models.CASCADE, related_name="shadowing_requests_made"
    )
    teacher = models.ForeignKey(
        Technician, on_delete=models.CASCADE, related_name="shadowing_requests_received"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="shadowing_requests")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    note = models.TextField(
        blank=True, max_length=2000, help_text="What you would like to learn, and when suits you."
    )
    decision_note = models.TextField(blank=True, max_length=2000)
    created = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "technicians_shadowingrequest"
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(learner=models.F("teacher")), name="shadowing_not_oneself"
            ),
            # One open request per learner, teacher and skill.
            models.UniqueConstraint(
                fields=["learner", "teacher", "skill"],
                condition=models.Q(status__in=["requested", "accepted"]),
                name="one_open_shadowing_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} shadowing {self.teacher}: {self.skill} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class UnitSkillNeed(models.Model):
    """A skill a unit (a department, or a whole faculty) needs, and how many current holders
    at practitioner level or above it wants. Risk is judged only against these needs
    (skills.risk): a skill nobody in a unit needs is never "at risk" there.

    Exactly one of `department` and `faculty` is set (the database enforces it); `faculty`
    is a faculty's name as the departments give it (Department.faculty).
    """

    department = models.ForeignKey(
        "technicians.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="skill_needs",
    )
    faculty = models.CharField(max_length=200, blank=True, db_index=True)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="unit_needs")
    min_holders = models.PositiveSmallIntegerField(
        "holders wanted",
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="How many current technicians should hold it at practitioner level or "
        "above (one of them able to train others).",
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
        ordering = ["faculty", "department__name", "skill__name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(department__isnull=False) & models.Q(faculty=""))
                | (models.Q(department__isnull=True) & ~models.Q(faculty="")),
                name="skill_need_one_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(min_holders__gte=1, min_holders__lte=50),
                name="skill_need_holders_1_to_50",
            ),
            models.UniqueConstraint(
                fields=["department", "skill"],
                condition=models.Q(department__isnull=False),
                name="one_need_per_department_skill",
            ),
            models.UniqueConstraint(
                fields=["faculty", "skill"],
                condition=~models.Q(faculty=""),
                name="one_need_per_faculty_skill",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_label} needs {self.skill} ({self.min_holders})"

    @property
    def unit_label(self) -> str:
        return self.department.name if self.department_id else self.faculty
