"""The outbox addresses people: a technician (at the staff-list e-mail, account or not) or an
account; one of the two, once per kind and key; a missing address is recorded, not dropped;
links in e-mails lead through sign-in back to the page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from portal import outbox
from portal.models import Notification, usable_address
from portal.services import absolute_url, addressee_of, queue_notification
from tests import factories
from tests.conftest import PASSWORD
from tests.notifications.conftest import no_account, received

pytestmark = pytest.mark.django_db


def test_a_technician_without_an_account_gets_it_at_the_staff_list_address(nobody, sends):
    with sends():
        notification = queue_notification(nobody, "test", "k1", "Hello", "Body")
    assert (notification.technician, notification.recipient) == (nobody, None)
    received(nobody, "test")


def test_an_account_linked_to_a_technician_is_told_as_the_person(personas, sends):
    personas.technician.email = "alex.private@example.com"
    personas.technician.save(update_fields=["email"])
    assert addressee_of(personas.technician) == personas.technician_profile
    with sends():
        queue_notification(personas.technician, "test", "k1", "Hello", "Body")
        # The same message to the person themselves is the same message: not told twice.
        assert queue_notification(personas.technician_profile, "test", "k1", "Hi", "B") is None
    received(personas.technician_profile, "test")
    assert len(mail.outbox) == 1
    assert Notification.objects.addressed_to(personas.technician).count() == 1


def test_an_account_with_no_technician_is_told_at_its_own_address(personas, sends):
    with sends():
        notification = queue_notification(personas.hr, "test", "k1", "Hello", "Body")
    assert (notification.recipient, notification.technician) == (personas.hr, None)
    assert mail.outbox[0].to == [personas.hr.email]


def test_exactly_one_addressee_and_once_per_kind_key_and_addressee(personas, nobody):
    base = {"kind": "test", "subject": "S", "body": "B"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(key="both", recipient=personas.hr, technician=nobody, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(key="neither", **base)
    Notification.objects.create(key="k", technician=nobody, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(key="k", technician=nobody, **base)
    # The same kind and key to someone else is another message.
    Notification.objects.create(key="k", technician=personas.technician_profile, **base)
    Notification.objects.create(key="k", recipient=personas.hr, **base)
    assert Notification.objects.count() == 3


@pytest.mark.parametrize("email", ["", "moving-12@import.invalid"])
def test_no_address_is_recorded_with_the_reason_and_nothing_is_sent(department, email, sends):
    person = no_account(department, email or "placeholder@example.ac.uk")
    if not email:
        type(person).objects.filter(pk=person.pk).update(email="")
        person.refresh_from_db()
    with sends():
        notification = queue_notification(person, "test", "k1", "Hello", "Body")
    assert notification.status == Notification.Status.FAILED
    assert notification.reason == "No e-mail address"
    assert mail.outbox == []


def test_an_address_lost_before_sending_is_recorded_and_a_fixed_one_sent_again(nobody):
    with transaction.atomic():
        notification = queue_notification(nobody, "test", "k1", "Hello", "Body")
    type(nobody).objects.filter(pk=nobody.pk).update(email="moving-1@import.invalid")
    assert outbox.send(notification.pk) is False
    notification.refresh_from_db()
    assert (notification.status, notification.reason) == ("failed", "No e-mail address")
    # HR fixes the address; the administrator's "send now" sends it.
    type(nobody).objects.filter(pk=nobody.pk).update(email="nora.n@example.ac.uk")
    assert outbox.send_now([notification.pk]) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.reason) == ("sent", "")
    assert mail.outbox[0].to == ["nora.n@example.ac.uk"]


def test_usable_addresses():
    assert usable_address("a@example.ac.uk")
    assert not usable_address("")
    assert not usable_address(None)
    assert not usable_address("no-at-sign")
    assert not usable_address("moving-3@import.invalid")


@pytest.mark.parametrize(("missing", "sentence"), [(1, "1 person has"), (12, "12 people have")])
def test_hr_sees_how_many_people_have_no_address(personas, department, login, missing, sentence):
    for n in range(missing):
        no_account(department, f"moving-{n}@import.invalid")
    no_account(department, "fine@example.ac.uk")
    left = no_account(department, "moving-99@import.invalid")
    type(left).objects.filter(pk=left.pk).update(is_active=False)  # leavers do not count
    page = login(personas.hr).get("/").content.decode()
    assert f"{sentence} no e-mail address" in page


def test_hr_sees_nothing_when_everyone_has_an_address(personas, login):
    assert "no e-mail address" not in login(personas.hr).get("/").content.decode()


def test_links_are_absolute_and_lead_through_sign_in_back_to_the_page(personas, client, settings):
    settings.SITE_URL = "https://portal.example.ac.uk/"
    link = absolute_url("/technicians/me/")
    assert link == "https://portal.example.ac.uk/technicians/me/"
    assert absolute_url(link) == link
    page = link.removeprefix("https://portal.example.ac.uk")
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/technicians/me/"
    signed_in = client.post(
        "/accounts/login/",
        {"login": personas.technician.email, "password": PASSWORD, "next": page},
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == page
    assert client.get(page).status_code == 200


def test_nobody_to_tell():
    assert queue_notification(None, "test", "k", "S", "B") is None
    assert addressee_of(factories.UserFactory.build()) is None  # not saved: nobody
