"""What the directory search reads of the skills matrix: the names of a technician's skills
(registered as a `portal.registry.SearchField` by SkillsConfig.ready()).

The directory keeps each technician's stored search vector (technicians.search); the names of
their skills go into it, and these signals rebuild it when a row saved through the ORM (the
admin, a factory) changes which skills someone lists, or a skill's name. The services and
seeders that write skills in bulk refresh the vectors themselves.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db import router
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import JSONObject
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


# Where `with_skills` puts each result's matching skills: on PostgreSQL, (name, level) pairs
# read by the results' own query; elsewhere, prefetched rows in a plain list (so the prefetch
# does not build a related manager and queryset for every card).
MATCHING_SKILLS_ATTR = "matching_skill_rows"


def _named(words: list[str]) -> Q:
    named = Q()
    for word in words:
        named |= Q(skill__name__icontains=word)
    return named


def with_skills(queryset, words: list[str]):
    """The results with their skills whose names hold a searched word, for the cards'
    reasons (not every skill of every card). On PostgreSQL they come with the results' own
    query: a subquery PostgreSQL runs only for the page's rows (after the sort and limit),
    where a prefetch cost a query the ORM compiled afresh for every page. Elsewhere, one
    query a page."""
    named = _named(words)
    if not named:
        return queryset
    held = TechnicianSkill.objects.filter(named).order_by("-level", "skill__name")
    if uses_stored_vector(queryset.db):
        pairs = held.filter(technician=OuterRef("pk")).values(
            pair=JSONObject(name="skill__name", level="level")
        )
        return queryset.annotate(**{MATCHING_SKILLS_ATTR: ArraySubquery(pairs)})
    return queryset.prefetch_related(
        Prefetch(
            "technician_skills",
            queryset=held.select_related("skill").only("technician_id", "level", "skill__name"),
            to_attr=MATCHING_SKILLS_ATTR,
        )
    )


_LEVEL_NAMES = {level: label.lower() for level, label in TechnicianSkill.Level.choices}


def _name_and_level(held) -> tuple[str, int]:
    if isinstance(held, dict):  # a pair the results' query read
        return held["name"], held["level"]
    return held.skill.name, held.level


def matching_skills(technician, words: list[str], highlight) -> list[str]:
    """ "Confocal microscopy, expert": the technician's skills that hold a searched word (of
    those `with_skills` read)."""
    reasons = []
    held_skills = getattr(technician, MATCHING_SKILLS_ATTR, None)
    if held_skills is None:  # not read by with_skills: the technician's skills, as they hold
        held_skills = technician.technician_skills.select_related("skill")
    for held in held_skills:
        name, level = _name_and_level(held)
        if any(word in name.lower() for word in words):
            reasons.append(format_html("{}, {}", highlight(name), _LEVEL_NAMES.get(level, level)))
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
