"""Writes the demo data: whatever of it is missing, so running it again creates nothing.

Rows are matched by department slug, staff number and e-mail, and existing rows are
left as they are. Technicians go in through the bulk paths the staff list uses
(`services.create_technicians_in_bulk`, `services.link_line_managers`), and demo logins are
linked to their technicians by `services.link_user_to_technician`, as at a first login.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import IO

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from portal import roles
from technicians import services
from technicians.demo import avatars
from technicians.demo.data import (
    DEFAULT_TECHNICIANS,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEPARTMENTS,
    DOMAIN,
)
from technicians.demo.people import DemoTechnician, demo_login_technicians, generate_technicians
from technicians.models import Department, Technician


@dataclass
class SeedResult:
    departments: int = 0
    technicians: int = 0
    users: int = 0

    def summary(self) -> str:
        return (
            f"{self.departments} departments, {self.technicians} technicians and {self.users} "
            "demo logins created"
        )


def _seed_departments() -> tuple[dict[str, int], int]:
    existing = set(Department.objects.values_list("slug", flat=True))
    new = [
        Department(
            name=name, slug=slug, faculty=faculty, helpdesk_email=f"{slug}-helpdesk@{DOMAIN}"
        )
        for name, slug, faculty, _size, _families in DEPARTMENTS
        if slug not in existing
    ]
    Department.objects.bulk_create(new, ignore_conflicts=True)
    return dict(Department.objects.values_list("slug", "pk")), len(new)


def _technician(person: DemoTechnician, department_id: int) -> Technician:
    return Technician(
        staff_number=person.staff_number,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        job_title=person.job_title,
        role_family=person.role_family,
        grade=person.grade,
        department_id=department_id,
        bio=person.bio,
        expertise=person.expertise,
        equipment=person.equipment,
        orcid=person.orcid,
        started_on=person.started_on,
        is_apprentice=person.is_apprentice,
        is_active=person.is_active,
        visibility=person.visibility,
    )


def _seed_technicians(people: list[DemoTechnician], departments: dict[str, int]) -> int:
    known = dict(Technician.objects.values_list("staff_number", "email"))
    taken_emails = {email.lower() for email in known.values()}
    new: list[DemoTechnician] = []
    for person in people:
        if person.staff_number in known or person.department_slug not in departments:
            continue
        if person.email.lower() in taken_emails:
            continue  # someone real has this address: leave them alone
        taken_emails.add(person.email.lower())
        new.append(person)
    pk_of = services.create_technicians_in_bulk(
        [_technician(person, departments[person.department_slug]) for person in new]
    )
    # Only the new technicians get a manager: an existing one keeps whatever HR gave them.
    services.link_line_managers(
        {person.staff_number: person.line_manager_staff_number for person in new}
    )
    _seed_photos(new, pk_of)
    return len(new)


def has_demo_photo(staff_number: str) -> bool:
    """About two thirds of the generated technicians have a photo (and so a complete profile:
    every generated one has a bio and expertise); the demo logins' own profiles have none, so
    their dashboards show what a profile still lacks."""
    return not staff_number.startswith("DEMO") and zlib.crc32(staff_number.encode()) % 3 != 0


def _seed_photos(new: list[DemoTechnician], pk_of: dict[str, int]) -> int:
    """Portraits for the new technicians chosen by `has_demo_photo`: a few dozen drawn with
    Pillow and put through the photo service once, each technician storing their own copy."""
    chosen = [person.staff_number for person in new if has_demo_photo(person.staff_number)]
    if not chosen:
        return 0
    portraits = avatars.demo_photos(min(avatars.VARIANTS, len(chosen)))
    return services.store_photos_in_bulk(
        {
            pk_of[number]: portraits[zlib.crc32(number.encode(), 7) % len(portraits)]
            for number in chosen
        }
    )


def _seed_logins() -> int:
    User = get_user_model()
    password_hash = None  # hashing is slow: once, and only if a login is new
    created = 0
    # Every role's group, as the first migration makes them (a database emptied since lacks them).
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_GROUPS}
    groups |= {group.name: group for group in Group.objects.all()}
    for login in DEMO_LOGINS:
        user = User.objects.filter(email__iexact=login.email).first()
        if user is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=login.email,
                email=login.email,
                first_name=login.first_name,
                last_name=login.last_name,
                password=password_hash,
                is_superuser=login.superuser,
                is_staff=login.superuser,
            )
            created += 1
        for name in login.groups:
            group = groups.get(name) or Group.objects.get_or_create(name=name)[0]
            user.groups.add(group)
        address = EmailAddress.objects.filter(user=user, email__iexact=login.email).first()
        if address is None:
            EmailAddress.objects.create(user=user, email=login.email, verified=True, primary=True)
        elif not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
        if login.technician:
            # The login's technician has the login's address: linked as at a first login.
            services.link_user_to_technician(user)
    return created


def demo_people(technicians: int = DEFAULT_TECHNICIANS) -> list[DemoTechnician]:
    """The demo's people, the same every time for the same count: `technicians` in all, the
    demo logins' own three among them (the skills seeder reads their skills from here)."""
    login_people = demo_login_technicians()
    return generate_technicians(max(technicians - len(login_people), 0)) + login_people


@transaction.atomic
def seed_demo(*, technicians: int = DEFAULT_TECHNICIANS, stdout: IO | None = None) -> SeedResult:
    """Create whatever of the demo data is missing. Safe to run again and again.

    `technicians` counts every technician: the demo logins' own three and the rest generated
    (so never fewer than three). Registered with `portal.registry` as the "technicians" seeder.
    """
    result = SeedResult()
    departments, result.departments = _seed_departments()
    result.technicians = _seed_technicians(demo_people(technicians), departments)
    result.users = _seed_logins()
    if stdout is not None:
        stdout.write(f"Demo data: {result.summary()}.\n")
    return result
