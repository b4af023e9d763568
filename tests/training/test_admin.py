"""The admin lists training and cannot get around the booking rules."""

import pytest

from training.models import Booking

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["course", "session", "booking", "courseinterest", "trainingrecord", "calendartoken"]
)
def test_the_admin_lists_every_model(personas, login, session, alex, model):
    Booking.objects.create(session=session, technician=alex, status="confirmed")
    client = login(personas.admin)
    assert client.get(f"/admin/training/{model}/").status_code == 200


def test_bookings_are_read_only_and_cancelled_through_the_rules(personas, login, session, alex):
    from training import services

    booking = services.book_session(session, alex, by=personas.technician)
    client = login(personas.admin)
    assert client.get("/admin/training/booking/add/").status_code == 403
    page = client.get(f"/admin/training/booking/{booking.pk}/change/").content.decode()
    assert 'name="status"' not in page
    client.post(
        "/admin/training/booking/",
        {"action": "cancel_bookings", "_selected_action": [booking.pk]},
    )
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_sessions_are_cancelled_through_the_rules(personas, login, session, alex):
    from training import services

    booking = services.book_session(session, alex, by=personas.technician)
    client = login(personas.admin)
    page = client.get(f"/admin/training/session/{session.pk}/change/").content.decode()
    assert 'name="starts_at' not in page
    client.post(
        "/admin/training/session/",
        {"action": "cancel_sessions", "_selected_action": [session.pk]},
    )
    session.refresh_from_db()
    booking.refresh_from_db()
    assert (session.status, booking.status) == ("cancelled", "cancelled")
