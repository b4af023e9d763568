"""Invitations, the one-use token, drafts of named surveys, and reminders."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from tests import factories
from tests.voice.conftest import likert, make_survey
from voice import services
from voice.models import Invitation, Question, Response

pytestmark = pytest.mark.django_db


def test_invite_reaches_everyone_in_the_audience_at_their_staff_list_address(
    django_capture_on_commit_callbacks,
):
    science = factories.DepartmentFactory(name="Chemistry", slug="chem", faculty="Science")
    arts = factories.DepartmentFactory(name="History", slug="hist", faculty="Arts")
    without_account = factories.TechnicianFactory(department=science, email="nolog@example.ac.uk")
    factories.TechnicianFactory(department=arts)
    factories.TechnicianFactory(department=science, is_active=False)  # a leaver
    survey = make_survey(audience="faculties", faculties=["Science"])
    likert(survey)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.invite(survey) == 1
        assert services.invite(survey) == 0  # nobody twice
    [message] = mail.outbox
    assert message.to == ["nolog@example.ac.uk"]
    assert without_account.user_id is None
    invitation = Invitation.objects.get()
    assert services.token_for(invitation) in message.body
    assert "/voice/answer/" in message.body


def test_inviting_needs_questions_and_an_open_survey(today):
    factories.TechnicianFactory()
    survey = make_survey()
    with pytest.raises(ValidationError, match="questions"):
        services.invite(survey)
    closed = make_survey(
        opens_on=today - datetime.timedelta(days=20), closes_on=today - datetime.timedelta(days=1)
    )
    likert(closed)
    with pytest.raises(ValidationError, match="closed"):
        services.invite(closed)


def test_a_token_works_once():
    survey = make_survey(anonymous=True)
    question = likert(survey)
    invitation = Invitation.objects.create(survey=survey, technician=factories.TechnicianFactory())
    token = services.token_for(invitation)
    services.answer(token, {question.pk: 5})
    with pytest.raises(ValidationError, match="answered this survey already"):
        services.answer(token, {question.pk: 1})
    assert Response.objects.count() == 1


def test_a_forged_or_tampered_token_is_refused():
    survey = make_survey()
    invitation = Invitation.objects.create(survey=survey, technician=factories.TechnicianFactory())
    token = services.token_for(invitation)
    with pytest.raises(ValidationError, match="not valid"):
        services.open_invitation(token[:-2] + "xx")
    invitation.nonce = "revoked"
    invitation.save()
    with pytest.raises(ValidationError, match="no longer valid"):
        services.open_invitation(token)


def test_the_survey_answers_only_while_open(today):
    survey = make_survey(opens_on=today, closes_on=today + datetime.timedelta(days=7))
    question = likert(survey)
    invitation = Invitation.objects.create(survey=survey, technician=factories.TechnicianFactory())
    token = services.token_for(invitation)
    with (
        time_machine.travel(today - datetime.timedelta(days=1)),
        pytest.raises(ValidationError, match="opens on"),
    ):
        services.answer(token, {question.pk: 3})
    with (
        time_machine.travel(survey.closes_on + datetime.timedelta(days=1)),
        pytest.raises(ValidationError, match="closed on"),
    ):
        services.answer(token, {question.pk: 3})
    with time_machine.travel(survey.closes_on):
        services.answer(token, {question.pk: 3})


def test_required_questions_need_an_answer_and_others_can_be_skipped():
    survey = make_survey()
    required = likert(survey, required=True)
    optional = Question.objects.create(survey=survey, order=2, kind="number", text="Days?")
    invitation = Invitation.objects.create(survey=survey, technician=factories.TechnicianFactory())
    token = services.token_for(invitation)
    with pytest.raises(ValidationError) as refused:
        services.answer(token, {optional.pk: "4"})
    assert "This question needs an answer." in refused.value.message_dict[str(required.pk)]
    with pytest.raises(ValidationError):
        services.answer(token, {required.pk: 6})  # off the scale
    services.answer(token, {required.pk: 2})
    assert Response.objects.get().answers.count() == 1


def test_a_named_survey_keeps_a_draft_and_submits_it_later():
    technician = factories.TechnicianFactory()
    survey = make_survey(anonymous=False)
    question = likert(survey)
    choice = Question.objects.create(
        survey=survey, order=2, kind="multiple", text="Which?", choices=["Mentoring", "Courses"]
    )
    invitation = Invitation.objects.create(survey=survey, technician=technician)
    token = services.token_for(invitation)
    draft = services.save_draft(token, {choice.pk: ["Courses"]})
    assert draft.status == Response.Status.DRAFT and draft.technician == technician
    response = services.answer(token, {question.pk: 4, choice.pk: ["Mentoring", "Courses"]})
    assert response.pk == draft.pk
    assert response.status == Response.Status.SUBMITTED
    assert response.answers.get(question=choice).values == ["Mentoring", "Courses"]


def test_reminders_go_at_most_twice_a_week_apart_and_never_to_those_who_answered(
    today, django_capture_on_commit_callbacks
):
    survey = make_survey(
        opens_on=today, closes_on=today + datetime.timedelta(days=30), anonymous=True
    )
    question = likert(survey)
    waiting = factories.TechnicianFactory(email="waiting@example.ac.uk")
    done = factories.TechnicianFactory(email="done@example.ac.uk")
    Invitation.objects.create(survey=survey, technician=waiting, last_sent_on=today)
    answered = Invitation.objects.create(survey=survey, technician=done, last_sent_on=today)
    services.answer(services.token_for(answered), {question.pk: 4})

    def remind(days: int) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.queue_survey_reminders(today + datetime.timedelta(days=days))

    assert remind(6) == 0
    assert remind(7) == 1
    assert remind(7) == 0  # once
    assert remind(13) == 0
    assert remind(14) == 1
    assert remind(28) == 0  # two at most
    assert [message.to for message in mail.outbox] == [["waiting@example.ac.uk"]] * 2


def test_the_answer_page_works_from_the_emailed_link_without_an_account(client):
    survey = make_survey(anonymous=True)
    question = likert(survey, text="The plan reflects what technicians need.")
    invitation = Invitation.objects.create(survey=survey, technician=factories.TechnicianFactory())
    url = f"/voice/answer/{services.token_for(invitation)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "The plan reflects what technicians need." in page.content.decode()
    assert "Save and come back" not in page.content.decode()  # anonymous: one go
    missing = client.post(url, {"send": "1"})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    sent = client.post(url, {f"q{question.pk}": "4", "send": "1"})
    assert "Thank you" in sent.content.decode()
    assert client.get(url).status_code == 410
