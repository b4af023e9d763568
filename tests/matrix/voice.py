"""Permission matrix of the technician voice: the steering group and HR run surveys and read
their results; an invitation's link works for whoever holds it, signed in or not; a
development report is its person's, and their line manager's once shared."""

import datetime

from django.utils import timezone

from tests.matrix import Row, everyone, staff


def setup(world) -> None:
    from voice import services
    from voice.models import Invitation, Question, Response, Survey

    today = timezone.localdate()
    world.survey = Survey.objects.create(
        title="Development survey",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=10),
        anonymous=False,
    )
    world.question = Question.objects.create(
        survey=world.survey, order=1, kind="likert", text="I feel supported.", pillar="recognition"
    )
    world.invitation = Invitation.objects.create(
        survey=world.survey, technician=world.manager_profile
    )
    world.token = services.token_for(world.invitation)
    world.response = Response.objects.create(
        survey=world.survey,
        anonymous=False,
        technician=world.technician_profile,
        status="submitted",
        submitted_on=today,
    )
    world.shared = Response.objects.create(
        survey=Survey.objects.create(
            title="Last year",
            opens_on=today - datetime.timedelta(days=400),
            closes_on=today - datetime.timedelta(days=390),
            anonymous=False,
        ),
        anonymous=False,
        technician=world.technician_profile,
        status="submitted",
        submitted_on=today,
        shared_with_manager=True,
    )


MANAGERS = staff(403, steering=200, hr=200, admin=200)
MANAGERS_POST = staff(403, steering=302, hr=302, admin=302)
TECHNICIANS = staff(403, technician=200, manager=200)
OWNER = staff(403, technician=200)
OWNER_AND_MANAGER = staff(403, technician=200, manager=200)
OWNER_POST = staff(403, technician=302)

ROWS = [
    Row("voice:list", lambda w: "/voice/", MANAGERS),
    Row("voice:create", lambda w: "/voice/new/", MANAGERS),
    Row("voice:detail", lambda w: f"/voice/{w.survey.pk}/", MANAGERS),
    Row("voice:edit", lambda w: f"/voice/{w.survey.pk}/edit/", MANAGERS),
    Row("voice:copy", lambda w: f"/voice/{w.survey.pk}/copy/", MANAGERS),
    Row("voice:invite", lambda w: f"/voice/{w.survey.pk}/invite/", MANAGERS_POST, method="post"),
    Row(
        "voice:question_add",
        lambda w: f"/voice/{w.survey.pk}/questions/",
        staff(403, steering=400, hr=400, admin=400),
        method="post",
        note=" (an empty question is refused)",
    ),
    Row(
        "voice:question_edit",
        lambda w: f"/voice/{w.survey.pk}/questions/{w.question.pk}/",
        MANAGERS,
    ),
    Row("voice:results", lambda w: f"/voice/{w.survey.pk}/results/", MANAGERS),
    Row("voice:results_csv", lambda w: f"/voice/{w.survey.pk}/results.csv", MANAGERS),
    Row(
        "voice:result_action",
        lambda w: f"/voice/{w.survey.pk}/questions/{w.question.pk}/action/",
        MANAGERS,
    ),
    Row("voice:answer", lambda w: f"/voice/answer/{w.token}/", everyone(200)),
    Row(
        "voice:answer",
        lambda w: "/voice/answer/not-a-token/",
        everyone(410),
        note=" (a forged token)",
    ),
    Row("voice:my_reports", lambda w: "/voice/my-reports/", TECHNICIANS),
    Row("voice:report_pdf", lambda w: f"/voice/reports/{w.response.pk}.pdf", OWNER),
    Row(
        "voice:report_pdf",
        lambda w: f"/voice/reports/{w.shared.pk}.pdf",
        OWNER_AND_MANAGER,
        note=" (shared with the line manager)",
    ),
    Row(
        "voice:report_share",
        lambda w: f"/voice/reports/{w.response.pk}/share/",
        OWNER_POST,
        method="post",
        data=lambda w: {"shared": "0"},
    ),
]
