"""The "voice-surveys" data version (portal.versions): moved on when a survey or an invitation
is saved or deleted, and when an invitation is answered. The dashboard panel of the steering
group and HR (the surveys of the last thirty days, each with how many were invited and have
answered) is counted once for all of them and kept under it: counting every invitation of a
survey of 12,500 people cost each visit 3–6 ms in PostgreSQL. Surveys and invitations are
created, changed and deleted one row at a time (voice.services, the admin, a cascade), so
signals cover them; the bulk writes that change what the panel counts (an invitation marked
answered, the demo's invitations) move it themselves. Those that change nothing it shows (a
reminder's count and date, the day a survey's invitations went out) leave it where it is.
The version names no person: an anonymous answer moves it exactly as a named one does."""

from __future__ import annotations

from portal import versions

SURVEYS = "voice-surveys"


def surveys_changed() -> None:
    versions.bump(SURVEYS)


def connect_signals() -> None:
    from voice.models import Invitation, Survey

    versions.track(SURVEYS, Survey, Invitation)
