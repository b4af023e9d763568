"""The "people" data version (portal.versions): moved on when who works where changes.

Figures shared by every viewer that count people by unit (the skills at risk per department
and faculty) are cached under it. A single row saved or deleted through the ORM moves it
(the admin, a service's save, a factory); the bulk paths (the staff list's apply, technicians
created in bulk) call `people_changed` themselves, as they do for the search vectors.
"""

from __future__ import annotations

from portal import versions
from technicians.models import Department, Technician

PEOPLE = "people"
# A technician's save that changes none of these leaves the unit counts as they were (a
# faculty is its department's: a department's save moves the version on).
COUNTED_FIELDS = frozenset({"department", "department_id", "is_active"})


def people_changed() -> None:
    versions.bump(PEOPLE)


def technician_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created or update_fields is None or COUNTED_FIELDS & set(update_fields):
        people_changed()


def row_changed(sender, instance, **kwargs) -> None:
    people_changed()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(technician_saved, sender=Technician, dispatch_uid="versions:technician")
    post_delete.connect(row_changed, sender=Technician, dispatch_uid="versions:technician-del")
    post_save.connect(row_changed, sender=Department, dispatch_uid="versions:department")
    post_delete.connect(row_changed, sender=Department, dispatch_uid="versions:department-del")
