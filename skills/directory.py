"""What the skills matrix shows inside the people directory, which names none of it: the
directory's skill filters, the skills block of a profile, the skills part of "my profile",
and the warning when leavers take a department's last holder of a skill. All registered
through `portal.registry` by SkillsConfig.ready() (the search field is in skills.search).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property

from portal.prepared import PreparedQuery, with_known
from portal.registry import DirectoryFilter, LeaverWatch, ProfileBlock, ProfileFormPart
from skills import risk as rules
from skills import selectors, services
from skills.forms import SkillFormSet
from skills.models import TechnicianSkill
from skills.versions import SKILLS

# --- the directory's filters ------------------------------------------------------------------


def _nothing(queryset, name, value):
    return queryset  # applied together by `apply_directory_filters`


def directory_filters(request) -> dict[str, Any]:
    return {
        "skill": django_filters.ChoiceFilter(
            label="Skill",
            choices=selectors.skill_choices(),
            method=_nothing,
            empty_label="Any skill",
        ),
        "min_level": django_filters.ChoiceFilter(
            label="Skill level at least",
            choices=[
                (value, f"{value}: {label}") for value, label in TechnicianSkill.Level.choices
            ],
            method=_nothing,
            empty_label="Any level",
        ),
    }


def apply_directory_filters(queryset, data: dict[str, Any]):
    """Technicians holding the skill chosen, at the level chosen or above (either alone: any
    skill at that level, or the skill at any level)."""
    skill = data.get("skill")  # the skill's pk
    min_level = int(data["min_level"]) if data.get("min_level") else None
    if not (skill or min_level):
        return queryset
    matching = TechnicianSkill.objects.filter(technician=OuterRef("pk"))
    if skill:
        matching = matching.filter(skill=skill)
    if min_level:
        matching = matching.filter(level__gte=min_level)
    return queryset.filter(Exists(matching))


DIRECTORY_FILTER = DirectoryFilter(
    name="skills",
    filters=directory_filters,
    apply=apply_directory_filters,
    order=10,
    depends_on=(SKILLS,),  # the skill choices
)


# --- a profile's skills block -----------------------------------------------------------------


# Compiled once (portal.prepared): every profile page asks it.
_PROFILE_SKILLS = PreparedQuery(
    lambda technician: (
        TechnicianSkill.objects.filter(technician_id=technician)
        .select_related("skill")
        .order_by("-level", "skill__name")
    )
)


def profile_skills(request, technician) -> dict[str, Any] | None:
    """The technician's skills, highest level first: one query."""
    skills = with_known(_PROFILE_SKILLS.list(technician=technician.pk), technician=technician)
    return {"skills": skills} if skills else None


PROFILE_BLOCK = ProfileBlock(
    name="skills", template="skills/_profile_block.html", context=profile_skills, order=10
)


# --- the skills part of "my profile" ----------------------------------------------------------


class SkillsPart:
    """The technician's skills and levels, as rows of a formset (three empty ones to add)."""

    template = "skills/_profile_edit.html"

    def __init__(self, technician, data=None):
        self.formset = SkillFormSet(data, instance=technician, prefix="skills")

    def is_valid(self) -> bool:
        return self.formset.is_valid()

    @cached_property
    def error_count(self) -> int:
        return self.formset.total_error_count() if self.formset.is_bound else 0

    def summary_errors(self):
        return self.formset.non_form_errors()

    def save(self, technician, *, by) -> None:
        services.set_skills(technician, self.formset.chosen_skills(), by=by)


def build_skills_part(technician, data=None) -> SkillsPart:
    return SkillsPart(technician, data)


PROFILE_FORM_PART = ProfileFormPart(name="skills", build=build_skills_part, order=10)


# --- leavers --------------------------------------------------------------------------------

LEAVER_WATCH = LeaverWatch(
    name="skills",
    losses=rules.leaver_skill_losses,
    tell=services.tell_about_leaver_skill_losses,
)


def register_in_directory(registry) -> None:
    from skills.search import SEARCH_FIELD, connect_signals

    registry.register_directory_filter(DIRECTORY_FILTER)
    registry.register_search_field(SEARCH_FIELD)
    registry.register_profile_block(PROFILE_BLOCK)
    registry.register_profile_form_part(PROFILE_FORM_PART)
    registry.register_leaver_watch(LEAVER_WATCH)
    connect_signals()  # single rows saved through the ORM keep the search vectors current
