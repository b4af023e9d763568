"""Every change of the technician voice's data: surveys and questions, invitations and
reminders, answers, sharing a development report, and actions made from results.

Answering goes through a token (`/voice/answer/<token>/`), not an account: most technicians
have none. The token is signed from the invitation's number and a random nonce, so it cannot
be guessed, a reminder can repeat it, and replacing the nonce revokes it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actionplan import services as plan_services
from actionplan.models import Action, ActionPlan
from portal.services import queue_notification
from technicians.models import Technician
from voice import permissions
from voice.models import Answer, Invitation, Question, Response, ResultAction, Survey
from voice.versions import surveys_changed

TOKEN_SALT = "voice.answer"  # noqa: S105  (a signing salt, not a secret)
REMINDER_KIND = "voice.reminder"
MAX_REMINDERS = 2
REMINDER_GAP_DAYS = 7
LIKERT = range(1, 6)
SKILL_LEVELS = range(0, 5)  # 0: "I do not hold this skill"

SURVEY_FIELDS = (
    "title",
    "introduction",
    "opens_on",
    "closes_on",
    "anonymous",
    "audience",
    "faculties",
)
QUESTION_FIELDS = ("order", "kind", "text", "help_text", "pillar", "choices", "required")


# --- tokens ------------------------------------------------------------------------------


def token_for(invitation: Invitation) -> str:
    # No timestamp: the same invitation always has the same link (reminders repeat it).
    return signing.Signer(salt=TOKEN_SALT).sign_object([invitation.pk, invitation.nonce])


def answer_url(invitation: Invitation) -> str:
    path = reverse("voice:answer", args=[token_for(invitation)])
    return settings.SITE_URL.rstrip("/") + path


def invitation_for_token(token: str) -> Invitation:
    """The invitation a token names, or ValidationError in a sentence."""
    try:
        pk, nonce = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError(
            "This survey link is not valid. Use the link in your e-mail."
        ) from None
    invitation = (
        Invitation.objects.select_related("survey", "technician__department")
        .filter(pk=pk, nonce=nonce)
        .first()
    )
    if invitation is None:
        raise ValidationError("This survey link is no longer valid.")
    return invitation


# --- surveys and questions -----------------------------------------------------------------


def _require_manager(by) -> None:
    if not permissions.can_manage_surveys(by):
        raise PermissionDenied("Only the steering group and HR run surveys.")


def _check_survey(survey: Survey) -> None:
    if survey.opens_on and survey.closes_on and survey.closes_on < survey.opens_on:
        raise ValidationError({"closes_on": "A survey closes on or after the day it opens."})
    if survey.audience == Survey.Audience.FACULTIES and not survey.faculties:
        raise ValidationError({"faculties": "Choose at least one faculty."})
    survey.full_clean(exclude=["departments", "faculties"])


def _refuse_once_answered(survey: Survey) -> None:
    if Response.objects.filter(survey=survey).exists():
        raise ValidationError(
            "People have answered this survey already: its questions can no longer change."
        )


@transaction.atomic
def create_survey(*, by, departments=(), **fields: Any) -> Survey:
    _require_manager(by)
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"create_survey() got unknown fields {sorted(unknown)}")
    survey = Survey(created_by=by if getattr(by, "pk", None) else None, **fields)
    _check_survey(survey)
    survey.save()
    if departments:
        survey.departments.set(departments)
    return survey


@transaction.atomic
def update_survey(survey: Survey, *, by, departments=None, **changes: Any) -> Survey:
    _require_manager(by)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if "anonymous" in changes and changes["anonymous"] != survey.anonymous:
        _refuse_once_answered(survey)
    for name, value in changes.items():
        if name not in SURVEY_FIELDS:
            raise TypeError(f"update_survey() got an unknown field {name!r}")
        setattr(survey, name, value)
    _check_survey(survey)
    survey.save()
    if departments is not None:
        survey.departments.set(departments)
    return survey


def _clean_choices(kind: str, choices: Any) -> list[str]:
    if kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return []
    if isinstance(choices, str):
        choices = choices.splitlines()
    cleaned = [str(choice).strip() for choice in choices or [] if str(choice).strip()]
    if len(cleaned) < 2:
        raise ValidationError({"choices": "Give at least two options, one a line."})
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({"choices": "Each option must be different."})
    return cleaned


@transaction.atomic
def add_question(survey: Survey, *, by, **fields: Any) -> Question:
    _require_manager(by)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _refuse_once_answered(survey)
    if "order" not in fields or fields["order"] in (None, ""):
        fields["order"] = survey.questions.count() + 1
    question = Question(survey=survey, **fields)
    question.choices = _clean_choices(question.kind, question.choices)
    if question.kind == Question.Kind.SKILLS and survey.anonymous:
        raise ValidationError(
            {
                "kind": "A skills self-rating belongs in a named survey: it shows the person's "
                "own skills."
            }
        )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def update_question(question: Question, *, by, **changes: Any) -> Question:
    _require_manager(by)
    question = Question.objects.select_for_update().select_related("survey").get(pk=question.pk)
    _refuse_once_answered(question.survey)
    for name, value in changes.items():
        if name not in QUESTION_FIELDS:
            raise TypeError(f"update_question() got an unknown field {name!r}")
        setattr(question, name, value)
    question.choices = _clean_choices(question.kind, question.choices)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def remove_question(question: Question, *, by) -> None:
    _require_manager(by)
    _refuse_once_answered(question.survey)
    question.delete()


@transaction.atomic
def copy_survey(
    source: Survey, *, by, title: str, opens_on: datetime.date, closes_on: datetime.date
) -> Survey:
    """A new survey with the same audience and questions, each question linked to the one it
    was copied from, so results compare year on year."""
    _require_manager(by)
    survey = create_survey(
        by=by,
        title=title,
        introduction=source.introduction,
        opens_on=opens_on,
        closes_on=closes_on,
        anonymous=source.anonymous,
        audience=source.audience,
        faculties=list(source.faculties),
        departments=list(source.departments.all()),
    )
    survey.copied_from = source
    survey.save(update_fields=["copied_from"])
    Question.objects.bulk_create(
        Question(
            survey=survey,
            order=question.order,
            kind=question.kind,
            text=question.text,
            help_text=question.help_text,
            pillar=question.pillar,
            choices=list(question.choices),
            required=question.required,
            copied_from=question,
        )
        for question in source.questions.all()
    )
    return survey


# --- invitations and reminders ---------------------------------------------------------------


def audience(survey: Survey):
    """The active technicians a survey is for."""
    people = Technician.objects.filter(is_active=True).select_related("department")
    if survey.audience == Survey.Audience.DEPARTMENTS:
        people = people.filter(department__in=survey.departments.all())
    elif survey.audience == Survey.Audience.FACULTIES:
        people = people.filter(department__faculty__in=survey.faculties)
    return people.order_by("pk")


def _invitation_body(invitation: Invitation, *, reminder: bool) -> str:
    survey = invitation.survey
    first = (
        f'A reminder: the survey "{survey.title}" closes on {survey.closes_on:%-d %B %Y}, '
        "and we would still like to hear from you."
        if reminder
        else f'You are invited to answer "{survey.title}", open until {survey.closes_on:%-d %B %Y}.'
    )
    privacy = (
        "It is anonymous: your answers are stored with no link to you, and results are shown "
        f"only for groups of at least {settings.VOICE_MIN_GROUP} people. Answer it in one go."
        if survey.anonymous
        else "It is named: you can save your answers and come back, and you will get your own "
        "development report to take to your appraisal."
    )
    parts = [
        f"Dear {invitation.technician.first_name},",
        first,
        survey.introduction,
        privacy,
        f"Your personal link (no sign-in needed; please do not forward it):\n"
        f"{answer_url(invitation)}",
    ]
    return "\n\n".join(part for part in parts if part)


def invite(survey: Survey) -> int:
    """Invite everyone in the audience not invited yet, each at their staff-list e-mail with a
    personal link. Returns how many invitations were sent; running it again sends none twice."""
    survey = Survey.objects.get(pk=survey.pk)
    today = timezone.localdate()
    if survey.closes_on < today:
        raise ValidationError("This survey has closed: nobody can be invited any more.")
    if not survey.questions.exists():
        raise ValidationError("Add the survey's questions before inviting anyone.")
    sent = 0
    invited = set(survey.invitations.values_list("technician_id", flat=True))
    for technician in audience(survey).exclude(pk__in=invited).iterator(chunk_size=500):
        with transaction.atomic():
            invitation, created = Invitation.objects.get_or_create(
                survey=survey,
                technician=technician,
                defaults={
                    "department_name": technician.department.name if technician.department else "",
                    "faculty": technician.department.faculty if technician.department else "",
                    "last_sent_on": today,
                },
            )
            if not created:
                continue
            invitation.survey = survey
            queue_notification(
                technician,
                "voice.invitation",
                f"survey:{survey.pk}",
                f"Survey: {survey.title}",
                _invitation_body(invitation, reminder=False),
            )
            sent += 1
    Survey.objects.filter(pk=survey.pk, invited_at__isnull=True).update(invited_at=timezone.now())
    return sent


def queue_survey_reminders(today: datetime.date) -> int:
    """The periodic pass: at most two reminders to people who have not answered an open
    survey, a week apart; never to those who have. Each reminder has its own key, so a pass
    that runs again tells nobody twice."""
    queued = 0
    due = (
        Invitation.objects.filter(
            answered=False,
            reminders_sent__lt=MAX_REMINDERS,
            survey__opens_on__lte=today,
            survey__closes_on__gte=today,
            last_sent_on__lte=today - datetime.timedelta(days=REMINDER_GAP_DAYS),
        )
        .select_related("survey", "technician")
        .order_by("pk")
    )
    for invitation in due.iterator(chunk_size=500):
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
            if locked is None or locked.answered or locked.reminders_sent >= MAX_REMINDERS:
                continue
            number = locked.reminders_sent + 1
            queue_notification(
                invitation.technician,
                "voice.reminder",
                f"survey:{invitation.survey_id}:reminder:{number}",
                f"Reminder: {invitation.survey.title}",
                _invitation_body(invitation, reminder=True),
                reminder_kind=REMINDER_KIND,
            )
            Invitation.objects.filter(pk=locked.pk).update(
                reminders_sent=number, last_sent_on=today
            )
            queued += 1
    return queued


# --- answering -----------------------------------------------------------------------------


def open_invitation(token: str, *, today: datetime.date | None = None) -> Invitation:
    invitation = invitation_for_token(token)
    today = today or timezone.localdate()
    survey = invitation.survey
    if invitation.answered:
        raise ValidationError("You have answered this survey already. Thank you.")
    if today < survey.opens_on:
        raise ValidationError(f"This survey opens on {survey.opens_on:%-d %B %Y}.")
    if today > survey.closes_on:
        raise ValidationError(f"This survey closed on {survey.closes_on:%-d %B %Y}.")
    return invitation


def _clean_value(question: Question, value: Any) -> dict[str, Any] | None:
    """The stored form of one answer, None when skipped, or ValidationError."""
    if value in (None, "", [], {}):
        return None
    kind = question.kind
    if kind == Question.Kind.LIKERT:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number not in LIKERT:
            raise ValidationError({str(question.pk): "Choose a point from 1 to 5."})
        return {"number": Decimal(number)}
    if kind == Question.Kind.NUMBER:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValidationError({str(question.pk): "Enter a number, such as 3 or 2.5."}) from None
        if not number.is_finite() or abs(number) >= Decimal("10000000"):
            raise ValidationError({str(question.pk): "Enter a number below 10,000,000."})
        return {"number": number.quantize(Decimal("0.01"))}
    if kind == Question.Kind.SINGLE:
        if value not in question.choices:
            raise ValidationError({str(question.pk): "Choose one of the options."})
        return {"values": [value]}
    if kind == Question.Kind.MULTIPLE:
        picked = [value] if isinstance(value, str) else list(value)
        if any(choice not in question.choices for choice in picked):
            raise ValidationError({str(question.pk): "Choose among the options."})
        return {"values": [choice for choice in question.choices if choice in picked]}
    if kind == Question.Kind.TEXT:
        text = str(value).strip()
        if len(text) > 5000:
            raise ValidationError({str(question.pk): "Keep it under 5,000 characters."})
        return {"text": text} if text else None
    if kind == Question.Kind.SKILLS:
        rows = []
        for row in value:
            try:
                skill, level = int(row["skill"]), int(row.get("level") or 0)
            except (TypeError, ValueError, KeyError):
                raise ValidationError({str(question.pk): "Rate each skill from 0 to 4."}) from None
            if level not in SKILL_LEVELS:
                raise ValidationError({str(question.pk): "Rate each skill from 0 to 4."})
            rows.append(
                {"skill": skill, "level": level, "wants_to_learn": bool(row.get("wants_to_learn"))}
            )
        return {"values": rows} if rows else None
    raise ValidationError({str(question.pk): "This question cannot be answered."})


def _cleaned_answers(survey: Survey, answers: dict, *, final: bool) -> dict[Question, dict]:
    questions = {question.pk: question for question in survey.questions.all()}
    cleaned: dict[Question, dict] = {}
    errors: dict[str, list[str]] = {}
    for key, value in answers.items():
        try:
            question = questions[int(key)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError("An answer names a question this survey does not have.") from None
        try:
            stored = _clean_value(question, value)
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if stored is not None:
            cleaned[question] = stored
    if final:
        for question in questions.values():
            if question.required and question not in cleaned and str(question.pk) not in errors:
                errors[str(question.pk)] = ["This question needs an answer."]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write_answers(response: Response, cleaned: dict[Question, dict]) -> None:
    response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=question,
            number=stored.get("number"),
            text=stored.get("text", ""),
            values=stored.get("values", []),
        )
        for question, stored in cleaned.items()
    )


def _named_response(invitation: Invitation) -> Response:
    response, _ = Response.objects.get_or_create(
        survey=invitation.survey,
        technician=invitation.technician,
        defaults={
            "anonymous": False,
            "department_name": invitation.department_name,
            "faculty": invitation.faculty,
        },
    )
    return response


@transaction.atomic
def save_draft(token: str, answers: dict) -> Response:
    """A named survey's answers so far, kept until the person submits them."""
    invitation = open_invitation(token)
    if invitation.survey.anonymous:
        raise ValidationError(
            "An anonymous survey is answered in one go, so that no draft links answers to you."
        )
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    cleaned = _cleaned_answers(invitation.survey, answers, final=False)
    response = _named_response(invitation)
    _write_answers(response, cleaned)
    return response


@transaction.atomic
def answer(token: str, answers: dict) -> Response:
    """The final submission. In an anonymous survey the response is written with no link to
    the invitation or the person; the invitation records only that they answered. The token
    works once."""
    invitation = open_invitation(token)
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("survey", "technician")
        .get(pk=invitation.pk)
    )
    if invitation.answered:  # a second tab, or a double click, that lost the race
        raise ValidationError("You have answered this survey already. Thank you.")
    survey = invitation.survey
    cleaned = _cleaned_answers(survey, answers, final=True)
    if survey.anonymous:
        response = Response.objects.create(
            survey=survey,
            anonymous=True,
            department_name=invitation.department_name,
            faculty=invitation.faculty,
            status=Response.Status.SUBMITTED,
        )
    else:
        response = _named_response(invitation)
        response.status = Response.Status.SUBMITTED
        response.submitted_on = timezone.localdate()
        response.save(update_fields=["status", "submitted_on"])
    _write_answers(response, cleaned)
    Invitation.objects.filter(pk=invitation.pk).update(answered=True)
    surveys_changed()  # the surveys panel's counts (an update sends no signal)
    return response


# --- development reports -----------------------------------------------------------------------


@transaction.atomic
def share_report(response: Response, *, by, shared: bool) -> Response:
    """The person lets their line manager read their development report, or stops."""
    if not permissions.owns_response(by, response):
        raise PermissionDenied("Only the person it is about can share their report.")
    Response.objects.filter(pk=response.pk).update(shared_with_manager=shared)
    response.shared_with_manager = shared
    return response


# --- into the plan ---------------------------------------------------------------------------


@transaction.atomic
def create_action_from_result(
    survey: Survey,
    *,
    by,
    plan: ActionPlan,
    question: Question | None = None,
    **fields: Any,
) -> Action:
    """An action in the plan, made from a survey's result and linked back to it."""
    _require_manager(by)
    if question is not None and question.survey_id != survey.pk:
        raise ValidationError("That question belongs to another survey.")
    if not fields.get("pillar") and question is not None and question.pillar:
        fields["pillar"] = question.pillar
    if not fields.get("description"):
        source = f'"{question.text}" in ' if question is not None else ""
        fields["description"] = f'From the technician voice: {source}the survey "{survey.title}".'
    action = plan_services.create_action(by, plan, **fields)
    ResultAction.objects.create(survey=survey, question=question, action=action, created_by=by)
    return action
