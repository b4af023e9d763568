"""What the directory search reads of the skills matrix: the names of a technician's skills
(registered as a `portal.registry.SearchField` by SkillsConfig.ready()).

The directory keeps each technician's stored search vector (technicians.search); the names of
their skills go into it, and these signals rebuild it when a row saved through the ORM (the
admin, a factory) changes which skills someone lists, or a skill's name. The services and
seeders that write skills in bulk refresh the vectors themselves.
"""

from __future__ import annotations

from django.db import router
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils.html import format_html

from portal.registry import SearchField
from skills.models import Skill, TechnicianSkill
from technicians.search import refresh_search_vectors, uses_stored_vector


def skill_names_text():
    """The names of the skills of the technician `OuterRef("pk")`, space separated."""
    from django.contrib.postgres.aggregates import StringAgg

    return Subquery(
        TechnicianSkill.objects.filter(technician=OuterRef("pk"))
        .order_by()
        .values("technician")
        .annotate(names=StringAgg("skill__name", delimiter=" "))
        .values("names")[:1]
    )


def has_skill_named(word: str):
    return Exists(
        TechnicianSkill.objects.filter(technician=OuterRef("pk"), skill__name__icontains=word)
    )


# Where `with_skills` puts each result's matching skills: a plain list, so the prefetch does
# not build a related manager and queryset for every card (a third of the prefetch's cost).
MATCHING_SKILLS_ATTR = "matching_skill_rows"


def with_skills(queryset, words: list[str]):
    """The results with their skills whose names hold a searched word, for the cards'
    reasons: one query a page, of those few rows (not every skill of every card)."""
    named = Q()
    for word in words:
        named |= Q(skill__name__icontains=word)
    if not named:
        return queryset
    return queryset.prefetch_related(
        Prefetch(
            "technician_skills",
            queryset=TechnicianSkill.objects.filter(named)
            .select_related("skill")
            .only("technician_id", "level", "skill__name")
            .order_by("-level", "skill__name"),
            to_attr=MATCHING_SKILLS_ATTR,
        )
    )


def matching_skills(technician, words: list[str], highlight) -> list[str]:
    """ "Confocal microscopy, expert": the technician's skills that hold a searched word (of
    those `with_skills` read)."""
    reasons = []
    held_skills = getattr(technician, MATCHING_SKILLS_ATTR, None)
    if held_skills is None:  # not read by with_skills: the technician's skills, as they hold
        held_skills = technician.technician_skills.select_related("skill")
    for held in held_skills:
        name = held.skill.name
        if any(word in name.lower() for word in words):
            reasons.append(format_html("{}, {}", highlight(name), held.get_level_display().lower()))
    return reasons


SEARCH_FIELD = SearchField(
    name="skills",
    vector_text=skill_names_text,
    word_filter=has_skill_named,
    prefetch=with_skills,
    reasons=matching_skills,
)


def refresh_holders_of(skill_ids) -> int:
    """After a skill is renamed: the vectors of everyone who lists it."""
    if not uses_stored_vector(router.db_for_write(TechnicianSkill)):
        return 0
    holders = TechnicianSkill.objects.filter(skill_id__in=list(skill_ids)).values_list(
        "technician_id", flat=True
    )
    return refresh_search_vectors(set(holders))


def technician_skill_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    # Only which skill a row names is searched (not its level or review).
    if created or update_fields is None or "skill" in update_fields:
        refresh_search_vectors([instance.technician_id])


def technician_skill_deleted(sender, instance, **kwargs) -> None:
    refresh_search_vectors([instance.technician_id])


def skill_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if not created and (update_fields is None or "name" in update_fields):
        refresh_holders_of([instance.pk])


def connect_signals() -> None:
    """Bulk paths (bulk_create, bulk_update, update) send no signals: they call
    refresh_search_vectors themselves."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(technician_skill_saved, sender=TechnicianSkill, dispatch_uid="search:ts")
    post_delete.connect(
        technician_skill_deleted, sender=TechnicianSkill, dispatch_uid="search:ts-deleted"
    )
    post_save.connect(skill_saved, sender=Skill, dispatch_uid="search:skill")
