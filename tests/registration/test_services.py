"""The funding workflow: every transition allowed and refused (state and person), the budget,
the timeline and the notifications to the next person to act."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import Notification
from registration import services
from registration.models import FundingApplication, FundingBudget, FundingEvent, Registration
from tests import factories
from tests.registration.conftest import PDF, S, pdf_upload

pytestmark = pytest.mark.django_db

ALL_STATES = list(S.values)
# transition -> the states it may start from
ALLOWED = {
    "submit": {S.DRAFT},
    "endorse": {S.SUBMITTED},
    "send_back": {S.SUBMITTED},
    "approve": {S.ENDORSED},
    "reject": {S.ENDORSED},
    "withdraw": {S.DRAFT, S.SUBMITTED, S.ENDORSED},
    "record": {S.APPROVED},
    "pay": {S.REGISTERED},
}


def run(transition, application, personas):
    applicant = application.applicant.user
    if transition == "submit":
        return services.submit_application(application, by=applicant)
    if transition == "endorse":
        return services.endorse_application(application, by=personas.manager)
    if transition == "send_back":
        return services.send_back_application(
            application, by=personas.manager, note="Add the CPD you did this year."
        )
    if transition == "approve":
        return services.approve_application(application, by=personas.hr)
    if transition == "reject":
        return services.reject_application(application, by=personas.hr, note="Not this year.")
    if transition == "withdraw":
        return services.withdraw_application(application, by=applicant)
    if transition == "record":
        return services.record_registration(application, by=applicant, proof=pdf_upload())
    return services.mark_paid(application, by=personas.hr, reference="PO-99")


def snapshot(application):
    fresh = FundingApplication.objects.get(pk=application.pk)
    return (
        fresh.status,
        fresh.events.count(),
        Notification.objects.count(),
        fresh.decided_by_id,
        fresh.endorsed_by_id,
        bool(fresh.proof),
        fresh.financial_year,
        Registration.objects.count(),
    )


# --- creating -----------------------------------------------------------------------------


def test_the_amount_is_the_application_fee_plus_the_first_year(make_application, registers):
    application = make_application()
    rscitech = registers["RSciTech"]
    assert application.status == S.DRAFT
    assert application.application_fee == rscitech.application_fee == Decimal("28.00")
    assert application.amount_requested == rscitech.application_fee + rscitech.annual_fee
    assert list(application.events.values_list("to_status", flat=True)) == [S.DRAFT]


def test_a_different_amount_needs_a_reason(make_application):
    with pytest.raises(ValidationError) as refused:
        make_application(amount_requested=Decimal("20.00"))
    assert "amount_reason" in refused.value.error_dict
    application = make_application(
        amount_requested=Decimal("20.00"), amount_reason="Member's reduced rate."
    )
    assert application.amount_requested == Decimal("20.00")
    assert application.amount_reason == "Member's reduced rate."


def test_the_body_must_award_the_register(personas, registers):
    from registration.models import ProfessionalBody

    geological = ProfessionalBody.objects.get(short_name="GSL")  # CSci only
    with pytest.raises(ValidationError) as refused:
        services.create_application(
            by=personas.technician,
            register=registers["RSciTech"],
            body=geological,
            justification="Why not.",
        )
    assert "does not award RSciTech" in str(refused.value)


def test_only_technicians_on_the_staff_list_apply(personas, registers, ist):
    with pytest.raises(PermissionDenied):
        services.create_application(
            by=personas.hr, register=registers["RSci"], body=ist, justification="HR has no profile."
        )


# --- the whole journey ----------------------------------------------------------------------


def test_the_journey_records_every_step_and_tells_the_next_person(make_application, personas):
    application = make_application()
    services.submit_application(application, by=personas.technician)
    assert (
        Notification.objects.addressed_to(personas.manager)
        .filter(kind="funding_submitted")
        .exists()
    )

    services.endorse_application(application, by=personas.manager, note="Strongly supported.")
    assert application.endorsed_by == personas.manager
    assert Notification.objects.addressed_to(personas.hr).filter(kind="funding_endorsed").exists()

    services.approve_application(application, by=personas.hr, note="From this year's fund.")
    assert application.decided_by == personas.hr
    assert application.decision_note == "From this year's fund."
    assert application.financial_year is not None
    assert (
        Notification.objects.addressed_to(personas.technician)
        .filter(kind="funding_approved")
        .exists()
    )

    services.record_registration(application, by=personas.technician, proof=pdf_upload())
    assert application.proof.name.startswith("registration-proofs/")
    assert "certificate" not in application.proof.name  # a random name, not the uploaded one
    assert application.proof_name == "certificate.pdf"
    registration = Registration.objects.get(technician=application.applicant)
    assert registration.status == Registration.Status.ACTIVE
    assert registration.register == application.register
    assert Notification.objects.addressed_to(personas.hr).filter(kind="funding_registered").exists()

    services.mark_paid(application, by=personas.hr, reference="PO-2026-0042")
    assert application.payment_reference == "PO-2026-0042"
    assert (
        Notification.objects.addressed_to(personas.technician).filter(kind="funding_paid").exists()
    )

    events = list(application.events.order_by("created", "pk"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.ENDORSED),
        (S.ENDORSED, S.APPROVED),
        (S.APPROVED, S.REGISTERED),
        (S.REGISTERED, S.PAID),
    ]
    assert [e.actor for e in events] == [
        personas.technician,
        personas.technician,
        personas.manager,
        personas.hr,
        personas.technician,
        personas.hr,
    ]
    assert events[2].note == "Strongly supported."


# --- every transition from every state ---------------------------------------------------------


@pytest.mark.parametrize("transition", sorted(ALLOWED))
@pytest.mark.parametrize("state", ALL_STATES)
def test_each_transition_starts_only_from_its_states(transition, state, make_application, personas):
    application = make_application(state)
    if state in ALLOWED[transition]:
        run(transition, application, personas)
        application.refresh_from_db()
        assert application.events.count() >= 2
        assert application.events.order_by("-created", "-pk").first().from_status == state
        return
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        run(transition, application, personas)
    assert refused.value.messages  # a sentence for the user
    assert snapshot(application) == before


# --- the wrong person ----------------------------------------------------------------------


def _refused(service, application, by, **kwargs):
    before = snapshot(application)
    with pytest.raises(PermissionDenied):
        service(application, by=by, **kwargs)
    assert snapshot(application) == before


@pytest.mark.parametrize("who", ["manager", "hr", "steering", "admin"])
def test_only_the_applicant_submits_withdraws_and_uploads_proof(who, make_application, personas):
    user = getattr(personas, who)
    _refused(services.submit_application, make_application(S.DRAFT), user)
    _refused(services.withdraw_application, make_application(S.SUBMITTED), user)
    _refused(services.record_registration, make_application(S.APPROVED), user, proof=pdf_upload())


@pytest.mark.parametrize("who", ["technician", "hr", "steering", "coordinator", "admin"])
def test_only_the_line_manager_endorses(who, make_application, personas):
    _refused(services.endorse_application, make_application(S.SUBMITTED), getattr(personas, who))


@pytest.mark.parametrize("who", ["technician", "hr", "steering", "coordinator", "admin"])
def test_only_the_line_manager_sends_back(who, make_application, personas):
    _refused(
        services.send_back_application,
        make_application(S.SUBMITTED),
        getattr(personas, who),
        note="Change it.",
    )


def test_the_line_manager_sends_an_application_back_and_it_is_submitted_again(
    make_application, personas
):
    application = make_application(S.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        services.send_back_application(application, by=personas.manager, note="  ")
    assert refused.value.message_dict == {"note": ["Please say what the applicant should change."]}
    services.send_back_application(
        application, by=personas.manager, note="Say which body you will join."
    )
    assert application.status == S.DRAFT
    event = application.events.order_by("-created", "-pk").first()
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        S.SUBMITTED,
        S.DRAFT,
        personas.manager,
        "Say which body you will join.",
    )
    told = Notification.objects.addressed_to(personas.technician).get(kind="funding_draft")
    assert "Say which body you will join." in told.body
    assert told.subject == "Your registration funding application was sent back"
    # The applicant edits the draft and submits it; the line manager can endorse it now.
    services.submit_application(application, by=personas.technician)
    services.endorse_application(application, by=personas.manager)
    assert application.status == S.ENDORSED


def test_hr_endorses_when_the_applicant_has_no_line_manager(make_application, personas):
    personas.technician_profile.line_manager = None
    personas.technician_profile.save()
    application = make_application(S.SUBMITTED)
    assert Notification.objects.addressed_to(personas.hr).filter(kind="funding_submitted").exists()
    _refused(services.endorse_application, application, personas.manager)
    services.endorse_application(application, by=personas.hr)
    assert application.status == S.ENDORSED


@pytest.mark.parametrize("who", ["technician", "manager", "steering", "coordinator"])
def test_only_hr_decides_and_pays(who, make_application, personas):
    user = getattr(personas, who)
    _refused(services.approve_application, make_application(S.ENDORSED), user)
    _refused(services.reject_application, make_application(S.ENDORSED), user, note="No.")
    _refused(services.mark_paid, make_application(S.REGISTERED), user, reference="PO-1")


def test_nobody_decides_on_their_own_application(personas, registers, ist, budget):
    from django.contrib.auth.models import Group

    from portal import roles

    personas.manager.groups.add(Group.objects.get_or_create(name=roles.HR)[0])
    application = services.create_application(
        by=personas.manager, register=registers["RSci"], body=ist, justification="Mine."
    )
    services.submit_application(application, by=personas.manager)
    # The manager has no line manager: HR endorses, but not the applicant themselves.
    _refused(services.endorse_application, application, personas.manager)
    services.endorse_application(application, by=personas.hr)
    _refused(services.approve_application, application, personas.manager)


def test_a_leaver_can_no_longer_act_as_applicant(make_application, personas):
    application = make_application(S.DRAFT)
    personas.technician_profile.is_active = False
    personas.technician_profile.save()
    fresh_user = type(personas.technician).objects.get(pk=personas.technician.pk)
    _refused(services.submit_application, application, fresh_user)


# --- notes and references ------------------------------------------------------------------


def test_a_rejection_needs_a_note(make_application, personas):
    application = make_application(S.ENDORSED)
    before = snapshot(application)
    with pytest.raises(ValidationError):
        services.reject_application(application, by=personas.hr, note="  ")
    assert snapshot(application) == before
    services.reject_application(application, by=personas.hr, note="The body does not cover it.")
    assert application.decision_note == "The body does not cover it."
    assert (
        Notification.objects.addressed_to(personas.technician)
        .filter(kind="funding_rejected")
        .exists()
    )


def test_a_payment_needs_a_reference(make_application, personas):
    application = make_application(S.REGISTERED)
    with pytest.raises(ValidationError):
        services.mark_paid(application, by=personas.hr, reference="")
    assert FundingApplication.objects.get(pk=application.pk).status == S.REGISTERED


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("certificate.pdf", b"just some text, not a PDF"),
        ("certificate.png", b"\x89PNG\r\n\x1a\nbroken image"),
        ("certificate.pdf", b""),
    ],
)
def test_proof_is_checked_by_content(name, data, make_application, personas):
    application = make_application(S.APPROVED)
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        services.record_registration(
            application, by=personas.technician, proof=pdf_upload(name, data)
        )
    assert "proof" in refused.value.error_dict
    assert snapshot(application) == before


def test_proof_is_size_capped(make_application, personas, settings):
    settings.REGISTRATION_UPLOAD_MAX_BYTES = 100
    application = make_application(S.APPROVED)
    with pytest.raises(ValidationError, match="too large"):
        services.record_registration(
            application, by=personas.technician, proof=pdf_upload(data=PDF + b"0" * 200)
        )
    assert FundingApplication.objects.get(pk=application.pk).status == S.APPROVED


def test_a_png_named_pdf_is_stored_as_what_it_is(make_application, personas):
    png = factories.image_bytes("PNG")
    application = make_application(S.APPROVED)
    services.record_registration(
        application, by=personas.technician, proof=pdf_upload("scan.pdf", png)
    )
    assert application.proof_content_type == "image/png"
    assert application.proof.name.endswith(".png")
    assert application.proof_name == "scan.png"


# --- the budget ---------------------------------------------------------------------------


def test_an_approval_over_the_budget_is_refused(make_application, personas, budget):
    budget.amount = Decimal("100.00")
    budget.save()
    first = make_application(S.APPROVED, register="CSci")  # 46 + 48 = 94
    assert first.status == S.APPROVED
    second = make_application(S.ENDORSED, register="RSciTech")  # 58
    before = snapshot(second)
    with pytest.raises(ValidationError, match="over budget") as refused:
        services.approve_application(second, by=personas.hr)
    assert "£6.00 of £100.00 is left" in refused.value.messages[0]
    assert snapshot(second) == before


def test_the_last_pound_of_the_budget_can_be_approved(make_application, personas, budget):
    budget.amount = Decimal("58.00")
    budget.save()
    application = make_application(S.APPROVED, register="RSciTech")
    assert application.status == S.APPROVED
    figures = services.year_figures(budget.financial_year)
    assert figures["remaining"] == Decimal("0.00")


def test_paid_and_committed_both_count_against_the_budget(make_application, personas, budget):
    make_application(S.PAID, register="RSciTech")  # 58
    make_application(S.REGISTERED, register="RSci")  # 74
    make_application(S.REJECTED, register="CSci")  # not counted
    figures = services.year_figures(budget.financial_year)
    assert figures["spent"] == Decimal("58.00")
    assert figures["committed"] == Decimal("74.00")
    assert figures["remaining"] == Decimal("868.00")


def test_without_a_budget_nothing_is_approved(make_application, personas, budget):
    application = make_application(S.ENDORSED)
    budget.delete()
    with pytest.raises(ValidationError, match="No budget is set"):
        services.approve_application(application, by=personas.hr)


def test_a_budget_cannot_go_below_what_is_approved(make_application, personas, budget):
    make_application(S.APPROVED, register="CSci")  # 94
    with pytest.raises(ValidationError):
        services.set_budget(
            by=personas.hr, financial_year=budget.financial_year, amount=Decimal(90)
        )
    services.set_budget(by=personas.hr, financial_year=budget.financial_year, amount=Decimal(94))
    with pytest.raises(PermissionDenied):
        services.set_budget(by=personas.manager, financial_year=2030, amount=Decimal(1))


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        ((datetime.date(2027, 3, 31), 23, 30), 2026),  # the last evening of 2026–27
        ((datetime.date(2027, 4, 1), 0, 30), 2027),  # the first night of 2027–28
    ],
)
def test_an_approval_counts_in_the_financial_year_it_is_made(
    moment, year, make_application, personas, frozen
):
    day, hour, minute = moment
    FundingBudget.objects.get_or_create(financial_year=year, defaults={"amount": Decimal(500)})
    application = make_application(S.ENDORSED)
    with frozen(day, hour, minute):
        services.approve_application(application, by=personas.hr)
    assert application.financial_year == year
    assert services.year_figures(year)["committed"] == application.amount_requested


def test_the_applicant_withdraws_before_a_decision_and_is_told_nothing_more(
    make_application, personas
):
    application = make_application(S.ENDORSED)
    services.withdraw_application(application, by=personas.technician)
    assert application.status == S.WITHDRAWN
    assert Notification.objects.addressed_to(personas.hr).filter(kind="funding_withdrawn").exists()
    assert FundingEvent.objects.filter(application=application, to_status=S.WITHDRAWN).exists()


def test_the_endorsement_queue_of_a_line_manager_holds_their_reports_submitted_applications(
    make_application, personas
):
    from registration import selectors

    waiting = make_application(S.SUBMITTED)
    assert selectors.endorsement_queue(personas.manager) == [waiting]
    assert selectors.endorsement_queue(personas.technician) == []  # never one's own
    assert selectors.endorsement_queue(personas.hr) == []  # the applicant has a line manager
    services.endorse_application(waiting, by=personas.manager)
    assert selectors.endorsement_queue(personas.manager) == []
    # A line manager who has left endorses nothing; HR then does.
    services.withdraw_application(waiting, by=personas.technician)
    again = make_application(S.SUBMITTED)
    personas.manager_profile.is_active = False
    personas.manager_profile.save()
    left = type(personas.manager).objects.get(pk=personas.manager.pk)  # as the next request
    assert selectors.endorsement_queue(left) == []
    assert selectors.endorsement_queue(personas.hr) == [again]
