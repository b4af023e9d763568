"""Who looked (UK GDPR): opening someone else's development fund application, or one of its
receipts, is a typed event on that person's access log, which HR reads; one's own is not."""

from decimal import Decimal

import pytest

from portal import roles
from portal.models import AuditEvent
from recognition import services
from tests.conftest import make_user
from tests.factories import TechnicianFactory
from tests.recognition.conftest import S, close, receipt_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(make_application, personas, call, clock):
    application = make_application(S.SUBMITTED)
    close(call, clock)
    services.award_fund_application(application, by=personas.hr, amount=Decimal("400"))
    services.claim_fund_application(
        application,
        by=personas.technician,
        amount=Decimal("400"),
        receipts=[receipt_upload("taxi.pdf")],
    )
    return application


def test_hr_opening_an_application_is_logged_about_the_applicant(claimed, personas, login):
    response = login(personas.hr).get(f"/recognition/applications/{claimed.pk}/")
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.kind == AuditEvent.Kind.FUNDING_VIEWED
    assert event.actor == personas.hr
    assert event.subject_id == personas.technician_profile.pk
    assert event.subject_label == str(personas.technician_profile)
    assert event.detail["fund_application"] == claimed.pk
    assert event.detail["what"] == (
        f"Development fund application #{claimed.pk} (Confocal microscopy course)"
    )


def test_the_line_manager_looking_is_logged_and_the_applicant_is_not(claimed, personas, login):
    login(personas.technician).get(f"/recognition/applications/{claimed.pk}/")
    assert not AuditEvent.objects.exists()  # one's own data
    login(personas.manager).get(f"/recognition/applications/{claimed.pk}/")
    assert list(AuditEvent.objects.values_list("actor", flat=True)) == [personas.manager.pk]


def test_opening_a_receipt_is_logged_with_its_name(claimed, personas, login):
    receipt = claimed.receipts.get()
    client = login(personas.hr)
    response = client.get(f"/recognition/applications/{claimed.pk}/receipts/{receipt.pk}/")
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.kind == AuditEvent.Kind.FUNDING_VIEWED
    assert event.detail["receipt"] == receipt.pk
    assert event.detail["what"] == (
        f"Receipt “taxi.pdf” of development fund application #{claimed.pk}"
    )
    own = login(personas.technician).get(
        f"/recognition/applications/{claimed.pk}/receipts/{receipt.pk}/"
    )
    assert own.status_code == 200
    assert AuditEvent.objects.count() == 1


def test_someone_refused_the_page_leaves_no_event(claimed, login):
    stranger = TechnicianFactory()
    user = make_user(stranger.email, roles.TECHNICIAN)
    stranger.user = user
    stranger.save()
    assert login(user).get(f"/recognition/applications/{claimed.pk}/").status_code == 404
    assert not AuditEvent.objects.exists()


def test_hr_reads_who_looked_on_the_persons_access_log(claimed, personas, login):
    login(personas.manager).get(f"/recognition/applications/{claimed.pk}/")
    page = login(personas.hr).get(f"/technicians/{personas.technician_profile.pk}/access-log/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Viewed a funding application" in text
    assert f"Development fund application #{claimed.pk}" in text
