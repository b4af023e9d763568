"""The "people" and "profiles" data versions (portal.versions).

- "people" moves on when who works where changes: figures that count people by unit (the
  skills at risk per department and faculty) are cached under it.
- "profiles" moves on when any technician's row changes (every "people" change is one too):
  HR's staff-list figures (active, joiners, complete profiles, missing addresses) are cached
  under it.

A single row saved or deleted through the ORM moves them (the admin, a service's save, a
factory); the bulk paths (the staff list's apply, technicians created in bulk, photos stored
in bulk, line managers linked in bulk) call `people_changed` or `profiles_changed`
themselves, as they do for the search vectors.
"""

from __future__ import annotations

from portal import versions
from technicians.models import Department, Technician

PEOPLE = "people"
PROFILES = "profiles"
# A technician's save that changes none of these leaves the unit counts as they were (a
# faculty is its department's: a department's save moves the version on).
COUNTED_FIELDS = frozenset({"department", "department_id", "is_active"})


def people_changed() -> None:
    versions.bump(PEOPLE, PROFILES)


def profiles_changed() -> None:
    versions.bump(PROFILES)


def technician_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created or update_fields is None or COUNTED_FIELDS & set(update_fields):
        people_changed()
    else:
        profiles_changed()


def row_changed(sender, instance, **kwargs) -> None:
    people_changed()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(technician_saved, sender=Technician, dispatch_uid="versions:technician")
    post_delete.connect(row_changed, sender=Technician, dispatch_uid="versions:technician-del")
    post_save.connect(row_changed, sender=Department, dispatch_uid="versions:department")
    post_delete.connect(row_changed, sender=Department, dispatch_uid="versions:department-del")
