"""The technician voice: surveys, their questions, invitations and answers.

Anonymity is a property of the schema, not of the views. In an anonymous survey:
- an `Invitation` (who was asked, their token, whether they answered) is the only row that names
  a person, and it records that they answered as a bare yes, with no time;
- a `Response` names no person and no invitation, has a random primary key (no sequence to line
  up with the invitations) and no timestamp, and keeps only the respondent's unit (department
  and faculty), which results show only for groups of at least VOICE_MIN_GROUP.
So nothing stored can join an answer to the person who gave it.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from actionplan.models import Pillar


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Every active technician"
        DEPARTMENTS = "departments", "Chosen departments"
        FACULTIES = "faculties", "Chosen faculties"

    title = models.CharField(max_length=200)
    introduction = models.TextField(
        blank=True, max_length=3000, help_text="Shown above the questions, and in the invitation."
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    anonymous = models.BooleanField(
        default=True,
        help_text="Anonymous: answers are never linked to a person, and are given in one go. "
        "Named: people can save and come back, and receive their own development report.",
    )
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    departments = models.ManyToManyField(
        "technicians.Department", blank=True, related_name="surveys"
    )
    faculties = models.JSONField(default=list, blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agreement scale (1–5)"
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TEXT = "text", "Free text"
        NUMBER = "number", "Number"
        SKILLS = "skills", "Skills self-rating"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    pillar = models.CharField(max_length=20, choices=Pillar.choices, blank=True)
    choices = models.JSONField(
        default=list, blank=True, help_text="The options of a single or multiple choice question."
    )
    required = models.BooleanField(default=False)
    # The question this one was copied from (last year's), for the year-on-year change.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    @property
    def is_numeric(self) -> bool:
        return self.kind in (self.Kind.LIKERT, self.Kind.NUMBER)


class Invitation(models.Model):
    """Who was asked. Its link is `/voice/answer/<token>/`, the token signed from the
    invitation's number and nonce, so a reminder can repeat the link without storing it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    nonce = models.CharField(max_length=40, default=new_nonce)
    # The unit at invitation time: response rates by unit count invitations here.
    department_name = models.CharField(max_length=200, blank=True)
    faculty = models.CharField(max_length=200, blank=True)
    answered = models.BooleanField(default=False)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "technician"], name="one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.survey}"


class Response(models.Model):
    """One person's answers. In an anonymous survey `technician` is always empty (a database
    constraint keeps it so) and nothing else names them."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    anonymous = models.BooleanField()
    technician = models.ForeignKey(
        "technicians.Technician",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    department_name = models.CharField(max_length=200, blank=True)
    faculty = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Named surveys only: when it was submitted, and whether the line manager may read the
    # person's development report.
    submitted_on = models.DateField(null=True, blank=True)
    shared_with_manager = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | Q(technician__isnull=True, submitted_on__isnull=True, status="submitted"),
                name="anonymous_response_names_nobody",
            ),
            models.UniqueConstraint(
                fields=["survey", "technician"],
                condition=Q(technician__isnull=False),
                name="one_named_response_each",
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.survey_id}"


class Answer(models.Model):
    # Random, like the response's: a sequence would order anonymous answers by the time they
    # came in, which reminders sent to named people could then narrow down.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True, max_length=5000)
    # Choices picked, or for a skills question: [{"skill": id, "level": n, "wants_to_learn": b}]
    values = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class ResultAction(models.Model):
    """An action of the plan made from a survey result: the link both ways."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="result_actions")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="result_actions"
    )
    action = models.OneToOneField(
        "actionplan.Action", on_delete=models.CASCADE, related_name="voice_origin"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Action {self.action_id} from survey {self.survey_id}"
