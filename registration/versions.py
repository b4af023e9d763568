"""The "registers" data version (portal.versions): moved on when a register is saved or
deleted. The directory's register filter lists the registers on every directory page: read
once and kept under it. Registers are written one row at a time (the fees page's service,
the admin), so signals cover every write."""

from __future__ import annotations

from portal import versions

REGISTERS = "registers"


def connect_signals() -> None:
    from registration.models import Register

    versions.track(REGISTERS, Register)
