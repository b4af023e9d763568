"""Fixtures the staff-list tests share: HR signed in, and ten technicians to import over."""

import pytest

from tests import factories


@pytest.fixture
def hr(login, personas):
    return login(personas.hr)


@pytest.fixture
def ten(personas, department):
    """Ten active technicians in Chemistry: the personas' two and eight more."""
    eight = [
        factories.TechnicianFactory(staff_number=f"S{n:04d}", department=department)
        for n in range(1, 9)
    ]
    return [personas.manager_profile, personas.technician_profile, *eight]
