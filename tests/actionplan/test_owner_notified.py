"""An action's owner is told, through the outbox, of a progress update someone else posts."""

import pytest
from django.core import mail

from actionplan import services
from portal.models import Notification


@pytest.mark.django_db(transaction=True)
def test_the_owner_is_told_of_an_update_by_a_steering_group_member(personas, owned_action):
    personas.steering.first_name, personas.steering.last_name = "Sam", "Steering"
    personas.steering.save()
    update = services.post_update(
        personas.steering,
        owned_action,
        note="Website pages drafted with Comms.",
        progress=60,
        status="in_progress",
    )
    notification = Notification.objects.get(kind=services.UPDATE_BY_OTHER)
    assert notification.technician == personas.technician_profile
    assert notification.key == f"action-update:{update.pk}"
    assert "V1.1" in notification.subject
    assert "Sam Steering posted a progress update" in notification.body
    assert "Website pages drafted with Comms." in notification.body
    assert "60 %" in notification.body
    assert owned_action.get_absolute_url() in notification.body
    # Sent after commit (tasks run in-process in tests).
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert [message.to for message in mail.outbox] == [[personas.technician.email]]


@pytest.mark.django_db
def test_the_owner_is_not_told_of_their_own_update(personas, owned_action):
    services.post_update(
        personas.technician, owned_action, note="Done my part.", progress=50, status="in_progress"
    )
    assert not Notification.objects.filter(kind=services.UPDATE_BY_OTHER).exists()


@pytest.mark.django_db
def test_an_unowned_action_tells_nobody(personas, owned_action):
    owned_action.owner = None
    owned_action.save()
    services.post_update(
        personas.steering, owned_action, note="Picked up.", progress=10, status="in_progress"
    )
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_refused_update_tells_nobody(personas, owned_action):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.post_update(personas.steering, owned_action, note="", progress=10, status="x")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_each_update_by_someone_else_is_told_once(personas, owned_action):
    for progress in (50, 55):
        services.post_update(
            personas.steering, owned_action, note="More.", progress=progress, status="in_progress"
        )
    assert Notification.objects.filter(kind=services.UPDATE_BY_OTHER).count() == 2
