"""The "announcements" data version (portal.versions): moved on when an announcement is saved
or deleted, or its departments change. The last week's announcements, on every dashboard, are
read once a day and kept under it (and under "people", for the departments' names). The
batches that send an announcement write only their progress in bulk, which no dashboard
shows."""

from __future__ import annotations

from portal import versions

ANNOUNCEMENTS = "announcements"


def connect_signals() -> None:
    from announcements.models import Announcement

    versions.track(ANNOUNCEMENTS, Announcement, links=[Announcement.departments])
