"""The "commitment" data version (portal.versions): moved on when the Commitment or one of
its stage submissions is saved or deleted. The dashboard's Commitment panel, the same for the
steering group, HR and administrators, is written once a day and kept under it. Single rows
go through the services, the workflow's state step and the admin (signals); the demo's bulk
write of a submission date bumps it itself."""

from __future__ import annotations

from portal import versions

COMMITMENT = "commitment"


def commitment_changed() -> None:
    versions.bump(COMMITMENT)


def connect_signals() -> None:
    from commitment.models import Commitment, Submission

    versions.track(COMMITMENT, Commitment, Submission)
