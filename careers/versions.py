"""The careers data versions (portal.versions).

The "careers-ladder" data version (portal.versions): moved on when a pathway, a band, a
band's skill expectation, or a skill or register a band names changes. The ladder (every
pathway with its bands) is the same for every viewer of the dashboard panel and the pathway
pages, so it is read once and kept under this version. Every write to these rows is a
single-row save or delete (careers.services, the admin, cascades), so signals cover them.

The "mentoring-rounds" version moves on when a round or a scheme changes: the rounds open to
applications, on every technician's dashboard, are read once a day and kept under it (a
round moves through `portal.workflow.transition`, which saves the row)."""

from __future__ import annotations

from portal import versions

LADDER = "careers-ladder"
ROUNDS = "mentoring-rounds"


def connect_signals() -> None:
    from careers.models import Band, BandSkill, MentoringRound, MentoringScheme, Pathway
    from registration.models import Register
    from skills.models import Skill

    versions.track(LADDER, Pathway, Band, BandSkill, Skill, Register)
    versions.track(ROUNDS, MentoringRound, MentoringScheme)
