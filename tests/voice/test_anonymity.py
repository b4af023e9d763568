"""An anonymous survey stores nothing that joins an answer to the person who gave it."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from tests import factories
from tests.voice.conftest import likert, make_survey
from voice import services
from voice.models import Answer, Invitation, Question, Response

pytestmark = pytest.mark.django_db


def answered_anonymously(technician):
    survey = make_survey(anonymous=True)
    question = likert(survey)
    text = Question.objects.create(survey=survey, order=2, kind="text", text="Anything else?")
    invitation = Invitation.objects.create(
        survey=survey, technician=technician, department_name="Chemistry", faculty="Science"
    )
    services.answer(services.token_for(invitation), {question.pk: 4, text.pk: "More training."})
    return survey, invitation


def test_no_row_links_an_anonymous_answer_to_its_person():
    technician = factories.TechnicianFactory(email="quinn@example.ac.uk", first_name="Quinn")
    survey, invitation = answered_anonymously(technician)
    invitation.refresh_from_db()
    assert invitation.answered is True

    [response] = Response.objects.filter(survey=survey)
    assert response.technician_id is None
    assert response.submitted_on is None
    assert isinstance(response.pk, uuid.UUID)
    assert all(isinstance(answer.pk, uuid.UUID) for answer in response.answers.all())

    # Read the tables themselves: no column of a response or an answer holds anything that
    # names the person or their invitation (their id, e-mail, staff number, name, token).
    identifying = {
        str(technician.pk),
        technician.email,
        technician.staff_number,
        technician.first_name,
        str(invitation.pk),
        invitation.nonce,
    }
    with connection.cursor() as cursor:
        for table in (Response._meta.db_table, Answer._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (our own table names)
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                # The survey and question columns name survey rows, whose numbers may equal a
                # person's by chance; every other column is checked.
                values = {
                    str(value)
                    for column, value in zip(columns, row, strict=True)
                    if value is not None and column not in {"survey_id", "question_id"}
                }
                assert not values & identifying, f"{table} holds {values & identifying}"


def test_the_schema_gives_responses_no_way_back_to_invitations_or_times():
    response_links = {
        field.related_model
        for field in Response._meta.get_fields()
        if field.is_relation and field.many_to_one
    }
    assert Invitation not in response_links
    assert not any(
        field.get_internal_type() == "DateTimeField" for field in Response._meta.concrete_fields
    )
    assert not any(
        field.get_internal_type() in {"DateTimeField", "DateField"}
        for field in Invitation._meta.concrete_fields
        if field.name == "answered_at"
    )
    assert not any(
        field.get_internal_type() == "DateTimeField" for field in Answer._meta.concrete_fields
    )


def test_the_database_refuses_an_anonymous_response_that_names_someone():
    technician = factories.TechnicianFactory()
    survey = make_survey(anonymous=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            survey=survey, anonymous=True, technician=technician, status="submitted"
        )


def test_an_anonymous_survey_keeps_no_draft():
    technician = factories.TechnicianFactory()
    survey = make_survey(anonymous=True)
    question = likert(survey)
    invitation = Invitation.objects.create(survey=survey, technician=technician)
    with pytest.raises(Exception, match="answered in one go"):
        services.save_draft(services.token_for(invitation), {question.pk: 3})
    assert not Response.objects.exists()
