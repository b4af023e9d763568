"""The "training-catalogue" data version (portal.versions): moved on when a course, a session
or a booking is saved or deleted. The catalogue as it opens (every course, its next session
and the seats left) is the same for everyone: written once and kept under it. Courses,
sessions and bookings are written one row at a time by the services and the admin (signals);
the demo's bulk load bumps it itself."""

from __future__ import annotations

from portal import versions

CATALOGUE = "training-catalogue"


def catalogue_changed() -> None:
    versions.bump(CATALOGUE)


def connect_signals() -> None:
    from training.models import Booking, Course, Session

    versions.track(CATALOGUE, Course, Session, Booking)
