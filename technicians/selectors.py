"""Read-only queries shared by several views of the directory."""

from __future__ import annotations

import re

from django.db import connections
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from technicians.permissions import visible_technicians_filter
from technicians.models import Department, Technician, TechnicianSkill

SEARCH_CONFIG = "english"
NAME_ORDER = ("last_name", "first_name", "pk")
SORTS = {
    "name": NAME_ORDER,
    "department": ("department__name", *NAME_ORDER),
    "newest": (F("started_on").desc(nulls_last=True), "-created", "-pk"),
}


def active_technician_with_email(email: str) -> Technician | None:
    return Technician.objects.filter(email__iexact=email.strip(), is_active=True).first()


def _with_post_nominals(queryset: QuerySet[Technician]) -> QuerySet[Technician]:
    """The cards' post-nominals, in one more query per page (registration owns them)."""
    from registration.selectors import with_post_nominals

    return with_post_nominals(queryset)


def visible_technicians(user) -> QuerySet[Technician]:
    """Technicians `user` may see in a list, with what a card shows, in name order."""
    return _with_post_nominals(
        Technician.objects.filter(visible_technicians_filter(user))
        .select_related("department")
        .order_by(*NAME_ORDER)
    )


def public_technicians() -> QuerySet[Technician]:
    """The profiles on Meet our technicians: public and current, whoever is looking."""
    return _with_post_nominals(
        Technician.objects.filter(is_active=True, visibility=Technician.Visibility.PUBLIC)
        .select_related("department")
        .order_by(*NAME_ORDER)
    )


def faculty_choices() -> list[tuple[str, str]]:
    faculties = Department.objects.order_by("faculty").values_list("faculty", flat=True).distinct()
    return [(faculty, faculty) for faculty in faculties]


def _uses_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def search_technicians(queryset: QuerySet[Technician], text: str) -> QuerySet[Technician]:
    """Technicians matching `text` in name, job title, expertise, equipment or skills.

    Adds a `rank` annotation (higher is more relevant). PostgreSQL: full-text search with
    websearch syntax ("quoted phrases", or, -exclusions), ranked with names weighted above
    job titles above the rest. Elsewhere (SQLite): every word must appear somewhere.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    if _uses_postgres(queryset):
        return _full_text_search(queryset, text)
    return _simple_search(queryset, text)


def _full_text_search(queryset: QuerySet[Technician], text: str) -> QuerySet[Technician]:
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    skill_names = Subquery(
        TechnicianSkill.objects.filter(technician=OuterRef("pk"))
        .order_by()
        .values("technician")
        .annotate(names=StringAgg("skill__name", delimiter=" "))
        .values("names")[:1]
    )
    vector = (
        SearchVector("first_name", "last_name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("job_title", weight="B", config=SEARCH_CONFIG)
        + SearchVector("expertise", "equipment", "skill_names", weight="C", config=SEARCH_CONFIG)
    )
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    return (
        queryset.annotate(skill_names=skill_names)
        .annotate(search=vector)
        .filter(search=query)
        .annotate(rank=SearchRank(vector, query))
    )


def _simple_search(queryset: QuerySet[Technician], text: str) -> QuerySet[Technician]:
    words = re.findall(r"\w+", text)[:10]
    if not words:
        return queryset.none()
    rank = Value(0, output_field=IntegerField())
    for word in words:
        in_name = Q(first_name__icontains=word) | Q(last_name__icontains=word)
        in_skills = Exists(
            TechnicianSkill.objects.filter(technician=OuterRef("pk"), skill__name__icontains=word)
        )
        queryset = queryset.filter(
            in_name
            | Q(job_title__icontains=word)
            | Q(expertise__icontains=word)
            | Q(equipment__icontains=word)
            | in_skills
        )
        rank = rank + Case(
            When(in_name, then=Value(3)),
            When(job_title__icontains=word, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return queryset.annotate(rank=rank)


def sort_technicians(queryset: QuerySet[Technician], sort: str) -> QuerySet[Technician]:
    """Order by name, department, newest first, or relevance (only after a search)."""
    if sort == "relevance" and "rank" in queryset.query.annotations:
        return queryset.order_by("-rank", *NAME_ORDER)
    return queryset.order_by(*SORTS.get(sort, NAME_ORDER))


def technician_profile(pk: int) -> Technician | None:
    """One technician with everything the profile page shows, in two queries."""
    skills = TechnicianSkill.objects.select_related("skill").order_by("-level", "skill__name")
    return (
        Technician.objects.select_related("department", "line_manager")
        .prefetch_related(Prefetch("technician_skills", queryset=skills))
        .filter(pk=pk)
        .first()
    )


def department_by_slug(slug: str) -> Department:
    return get_object_or_404(Department, slug=slug)


def department_technicians(department: Department, user) -> QuerySet[Technician]:
    return visible_technicians(user).filter(department=department)
