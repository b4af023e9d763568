"""The registration app's data versions (portal.versions), moved on when a row is saved or
deleted:

- "registers": a register. The directory's register filter lists the registers on every
  directory page: read once and kept under it.
- "registrations": a technician's registration, whose letters (post-nominals) the directory's
  cards show. Cards kept for every viewer are written again when it moves.

Both are written one row at a time (the services, the fees page, the import through the
services, the admin), so signals cover every write; the demo's bulk load bumps its own."""

from __future__ import annotations

from portal import versions

REGISTERS = "registers"
REGISTRATIONS = "registrations"


def connect_signals() -> None:
    from registration.models import Register, Registration

    versions.track(REGISTERS, Register)
    versions.track(REGISTRATIONS, Registration)
