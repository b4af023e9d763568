"""The skills app's part of a person's data (portal.personal_data): the skills they rated and
the shadowing they asked for or offered; retention removes the notes of shadowing requests."""

from __future__ import annotations

from django.db.models import Q

from portal.personal_data import PersonalData, plural, rows
from skills.models import ShadowingRequest, TechnicianSkill


def _shadowing(technician):
    return ShadowingRequest.objects.filter(Q(learner=technician) | Q(teacher=technician))


def collect(technician) -> PersonalData:
    return PersonalData(
        description="the skills on your profile and your shadowing requests",
        tables={
            "skills": rows(
                TechnicianSkill.objects.filter(technician=technician).order_by("skill__name"),
                "skill__name",
                "skill__category",
                "level",
                "confirmed_on",
                "validated_level",
                "validated_on",
                "wants_to_learn",
            ),
            "shadowing": rows(
                _shadowing(technician).order_by("created", "pk"),
                "skill__name",
                "learner__staff_number",
                "teacher__staff_number",
                "status",
                "note",
                "decision_note",
                "created",
                "decided_at",
            ),
        },
    )


def anonymise(technician, *, dry_run: bool) -> list[str]:
    notes = _shadowing(technician).exclude(note="", decision_note="")
    count = notes.count()
    if not dry_run:
        notes.update(note="", decision_note="")
    return [f"{plural(count, 'shadowing note')} removed"] if count else []
