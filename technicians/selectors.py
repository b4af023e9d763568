"""Read-only queries shared by several views of the directory."""

from __future__ import annotations

import re
from functools import partial

from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from portal import registry, versions
from portal.forms import SharedChoices
from portal.imports.pending import count_summary
from portal.models import ImportRun, unusable_address_q
from portal.prepared import PreparedLookup, PreparedQuery
from technicians.models import Department, Technician
from technicians.permissions import (
    audience_filter,
    list_audience,
    listed_filter,
    public_technicians_filter,
    technician_of,
    visible_technicians_filter,
)
from technicians.search import reason_words, searched, uses_stored_vector
from technicians.versions import PEOPLE, PROFILES

NAME_ORDER = ("last_name", "first_name", "pk")
SORTS = {
    "name": NAME_ORDER,
    "department": ("department__name", *NAME_ORDER),
    "newest": (F("started_on").desc(nulls_last=True), "-created", "-pk"),
}


def active_technician_with_email(email: str) -> Technician | None:
    return Technician.objects.filter(email__iexact=email.strip(), is_active=True).first()


def technicians_by_staff_number(keys: set[str]) -> dict[str, Technician]:
    """Technicians (leavers too) by lower-case staff number, for an import's staff number
    column; one query."""
    if not keys:
        return {}
    query = Q()
    for key in keys:
        query |= Q(staff_number__iexact=key)
    return {t.staff_number.lower(): t for t in Technician.objects.filter(query)}


# What a card never shows, and more than half of a row's width (the stored vector alone is
# hundreds of bytes): a list's rows are read without them. A searched list's count and sort
# read only keys and sort values (`page_and_count`); its rank reads the vector in the database.
NOT_ON_CARDS = ("search_vector", "bio")


def _as_cards(queryset: QuerySet[Technician]) -> QuerySet[Technician]:
    """The rows as the cards read them: without what a card never shows, with what other apps
    show on them (post-nominals: portal.registry.with_card_data), in a constant number of
    queries per page."""
    return registry.with_card_data(queryset.defer(*NOT_ON_CARDS))


def _listed(people: Q) -> QuerySet[Technician]:
    """The technicians `people` selects as a list shows them: cards, in name order."""
    return _as_cards(
        Technician.objects.filter(people).select_related("department").order_by(*NAME_ORDER)
    )


def visible_technicians(user) -> QuerySet[Technician]:
    """Technicians `user` may see in a list, with what a card shows, in name order."""
    return _listed(visible_technicians_filter(user))


def sees_own_private_profile(user) -> bool:
    """A member of staff (not HR) whose own current profile is private: their list shows it
    to them (`visible_technicians_filter`), and to nobody else."""
    if list_audience(user) != "staff":
        return False
    me = technician_of(user)
    return me is not None and me.is_active and me.visibility == Technician.Visibility.PRIVATE


def listed_count(user) -> int:
    """How many technicians the unfiltered list shows `user`: the directory for members of
    staff, Meet our technicians for anyone else. Counting them grows with the staff list, so
    the part that is the same for a whole audience (`permissions.list_audience`) is counted once and
    kept under the "profiles" version (any change to a technician's row, its visibility and
    whether they left included); a member of staff's own private profile is added."""
    audience = list_audience(user)
    count = versions.cached(
        f"technicians.listed-count:{audience}",
        depends_on=[PROFILES],
        compute=lambda: Technician.objects.filter(audience_filter(audience)).count(),
    )
    return count + 1 if sees_own_private_profile(user) else count


def card_versions() -> tuple[str, ...]:
    """The data versions whose every change a card of the directory may show: the
    technician's row, their department, and what other apps add (portal.registry)."""
    return (PROFILES, PEOPLE, *registry.card_data_versions())


def public_technicians() -> QuerySet[Technician]:
    """The profiles on Meet our technicians: public and current, whoever is looking."""
    return _listed(public_technicians_filter())


def faculty_choices() -> SharedChoices:
    """The faculties, for the directory's filter (the same for everyone: kept in the process
    under the "people" version, which every department's change moves on, and shared by
    every form that shows them, `portal.forms.SharedChoices`)."""
    return versions.kept_object(
        "technicians.faculty_choices",
        depends_on=(PEOPLE,),
        compute=lambda: SharedChoices(_read_faculty_choices()),
    )


def _read_faculty_choices() -> list[tuple[str, str]]:
    faculties = Department.objects.order_by("faculty").values_list("faculty", flat=True).distinct()
    return [(faculty, faculty) for faculty in faculties]


def department_choices() -> SharedChoices:
    """(slug, name) of every department, by name, kept as the faculties are."""
    return versions.kept_object(
        "technicians.department_choices",
        depends_on=(PEOPLE,),
        compute=lambda: SharedChoices(
            Department.objects.order_by("name").values_list("slug", "name")
        ),
    )


def page_and_count(
    queryset: QuerySet[Technician], *, start: int, size: int
) -> tuple[list[Technician], int]:
    """The rows `start` to `start + size` of a searched or filtered list, and how many rows
    the whole list has, in one query: the page is picked by a subquery that reads only the
    keys and what the list is sorted by, and the count is a subquery of its own.

    The whole list never travels with its columns: a window count over the full rows (the
    way this was done before) carried every match's row through the count and the sort, and
    took twice as long in PostgreSQL for a word 2,500 people match at 12,500 technicians
    (bench/tuning.md). The page's rows and what the cards add to them are read for the page
    alone. No rows: an empty page, and 0 when the list is empty too."""
    return _with_count(list(_page_counted(queryset, start=start, size=size)))


def _page_counted(queryset: QuerySet[Technician], *, start: int, size: int):
    """`page_and_count`'s query: the page's rows, each with the list's `matching_count`."""
    on_page = queryset.values("pk")[start : start + size]
    everyone = queryset.order_by().values(
        matching=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return queryset.filter(pk__in=on_page).annotate(matching_count=Subquery(everyone))


def _with_count(rows: list[Technician]) -> tuple[list[Technician], int]:
    return rows, (rows[0].matching_count if rows else 0)


# A search's first page for each audience, number of searched words and page size, compiled
# once (portal.prepared): building and compiling the query, with its rank, count and the
# cards' subqueries, cost more than running it (bench/tuning.md).
_FIRST_SEARCH_PAGES: dict[tuple[str, int, int], PreparedQuery[Technician]] = {}


def first_page_of_search(
    *, audience: str, user_id: int | None, text: str, size: int
) -> tuple[list[Technician], int] | None:
    """The first `size` technicians of the list a member of `audience` (with the account
    `user_id`, `permissions.listed_filter`) sees who match `text`, best match first, and how
    many match: what the list searched for `text` alone gives (`search_technicians`, sorted
    by relevance, `page_and_count`), from SQL compiled once for each audience and number of
    searched words. None for no text, or off PostgreSQL, where the search splits the text
    into words in SQL of its own: there the list's queryset gives the page."""
    text = (text or "").strip()
    if not text or not uses_stored_vector(router.db_for_read(Technician)):
        return None
    words = reason_words(text)
    shape = (audience, len(words), size)
    prepared = _FIRST_SEARCH_PAGES.get(shape)
    if prepared is None:
        build = partial(_first_search_page, audience, len(words), size)
        prepared = _FIRST_SEARCH_PAGES.setdefault(shape, PreparedQuery(build))
    values = {"text": text, **{f"word{index}": word for index, word in enumerate(words)}}
    if audience == "staff":  # the only audience whose list holds a profile of its own
        values["user"] = user_id
    return _with_count(prepared.list(**values))


def _first_search_page(
    audience: str, word_count: int, size: int, *, text: str, user: int | None = None, **words
):
    searched_list = _searched(
        _listed(listed_filter(audience, user_id=user)),
        text,
        [words[f"word{index}"] for index in range(word_count)],
    )
    return _page_counted(sort_technicians(searched_list, "relevance"), start=0, size=size)


def uses_postgres(queryset: QuerySet) -> bool:
    """Whether `queryset` runs on PostgreSQL (its full-text search, array subqueries)."""
    return connections[queryset.db].vendor == "postgresql"


def search_technicians(queryset: QuerySet[Technician], text: str) -> QuerySet[Technician]:
    """Technicians matching `text` in name, job title, expertise, equipment or what other
    apps add to the search (skills: portal.registry.search_fields).

    Adds a `rank` annotation (higher is more relevant). PostgreSQL: full-text search with
    websearch syntax ("quoted phrases", or, -exclusions), ranked with names weighted above
    job titles above the rest. Elsewhere (SQLite): every word must appear somewhere.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    return _searched(queryset, text, reason_words(text))


def _searched(queryset: QuerySet[Technician], text: str, words: list[str]) -> QuerySet[Technician]:
    # The cards say why each person matched (their matching skills, of those holding one of
    # `words`): read with the page's rows.
    for extra in registry.search_fields():
        queryset = extra.prefetch(queryset, words)
    if uses_postgres(queryset):
        return _full_text_search(queryset, text)
    return _simple_search(queryset, text)


def _full_text_search(queryset: QuerySet[Technician], text: str) -> QuerySet[Technician]:
    """The stored, GIN-indexed vector (technicians.search keeps it current)."""
    from django.contrib.postgres.search import SearchRank

    query = searched(text)
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


def _simple_search(queryset: QuerySet[Technician], text: str) -> QuerySet[Technician]:
    words = re.findall(r"\w+", text)[:10]
    if not words:
        return queryset.none()
    rank = Value(0, output_field=IntegerField())
    for word in words:
        in_name = Q(first_name__icontains=word) | Q(last_name__icontains=word)
        anywhere = (
            in_name
            | Q(job_title__icontains=word)
            | Q(expertise__icontains=word)
            | Q(equipment__icontains=word)
        )
        for extra in registry.search_fields():
            anywhere |= extra.word_filter(word)
        queryset = queryset.filter(anywhere)
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


# Compiled once (portal.prepared): every profile page, and my profile, asks it.
_PROFILE = PreparedLookup(
    lambda pk: Technician.objects.select_related("department", "line_manager").filter(pk=pk)
)


def technician_profile(pk: int) -> Technician | None:
    """One technician with their department and line manager, in one query (other apps'
    profile blocks read their own parts: portal.registry.profile_blocks)."""
    return _PROFILE.get(pk)


def profile_to_edit(technician: Technician) -> Technician:
    """A fresh copy of the technician for their profile form, with what the page shows."""
    found = _PROFILE.get(technician.pk)
    if found is None:
        raise Technician.DoesNotExist("The technician is no longer on the staff list.")
    return found


def technician_for_photo(pk: int, field_name: str) -> Technician | None:
    """Only what the photo view needs: who may see the profile, and the photo's file."""
    return (
        Technician.objects.only("pk", "user_id", "is_active", "visibility", field_name)
        .filter(pk=pk)
        .first()
    )


def department_by_slug(slug: str) -> Department:
    return get_object_or_404(Department, slug=slug)


def department_technicians(department: Department, user) -> QuerySet[Technician]:
    return visible_technicians(user).filter(department=department)


# --- dashboard panels ------------------------------------------------------------------------

STAFF_LIST_IMPORT_KIND = "staff-list"  # ImportRun.kind of HR's staff-list imports


def _missing(name: str) -> Q:
    return Q(**{name: ""}) | Q(**{f"{name}__isnull": True})


# What a complete profile has (the fields colleagues and visitors search and look at).
PROFILE_PARTS = {"bio": "a bio", "expertise": "expertise", "photo": "a photo"}


def profile_gaps(technician: Technician) -> list[str]:
    """What the profile lacks, in words ("a bio", "a photo"); empty when complete."""
    return [words for name, words in PROFILE_PARTS.items() if not getattr(technician, name)]


def _completeness(queryset: QuerySet[Technician], **also) -> dict[str, int]:
    """How many of these technicians lack each part, and how many lack none, with the `also`
    aggregates in the same query."""
    incomplete = Q()
    missing = {}
    for name in PROFILE_PARTS:
        missing[f"no_{name}"] = Count("pk", filter=_missing(name))
        incomplete |= _missing(name)
    return queryset.aggregate(
        total=Count("pk"), incomplete=Count("pk", filter=incomplete), **missing, **also
    )


def profile_completeness() -> tuple[int, int, int]:
    """(complete, active, whole percent) of the active technicians' profiles: the figures of
    HR's staff-list panel, which the demo plan's profile action quotes. One query."""
    numbers = _completeness(Technician.objects.filter(is_active=True))
    complete = numbers["total"] - numbers["incomplete"]
    return (
        complete,
        numbers["total"],
        round(100 * complete / numbers["total"]) if numbers["total"] else 0,
    )


def _academic_year_today():
    from django.utils import timezone

    from portal.periods import academic_year_bounds, academic_year_label, academic_year_of

    year = academic_year_of(timezone.localdate())
    return year, academic_year_label(year), academic_year_bounds(year)


# HR's dashboard reads the staff list's import history at every visit: compiled once
# (portal.prepared).
def _staff_list_runs():
    return ImportRun.objects.filter(kind=STAFF_LIST_IMPORT_KIND).select_related("by")


_IMPORTS_BETWEEN = PreparedQuery(
    lambda first_day, last_day: (
        _staff_list_runs()
        .filter(created__date__range=(first_day, last_day))
        .order_by("-created", "-pk")
    )
)
_LAST_IMPORT = PreparedQuery(lambda: _staff_list_runs().order_by("-created", "-pk")[:1])


def hr_dashboard() -> dict:
    """HR's numbers: active technicians, joiners and leavers this academic year, profile
    completeness, how many have no e-mail address (messages cannot reach them), and the last
    staff-list import. The counts over every technician are computed once for all of HR and
    kept under the "profiles" version (technicians.versions): at most four small queries."""
    year, label, (first_day, last_day) = _academic_year_today()
    numbers = versions.cached(
        f"technicians:hr-figures:{first_day.isoformat()}",
        depends_on=[PROFILES],
        compute=lambda: _completeness(
            Technician.objects.filter(is_active=True),
            joiners=Count("pk", filter=Q(started_on__range=(first_day, last_day))),
            no_email=Count("pk", filter=unusable_address_q("email")),
        ),
    )
    # The import history kept by portal.imports: this year's runs, else the last one ever.
    this_year = _IMPORTS_BETWEEN.list(first_day=first_day, last_day=last_day)
    leavers = sum(int((run.counts or {}).get("leavers", 0) or 0) for run in this_year)
    last_run = this_year[0] if this_year else next(iter(_LAST_IMPORT.list()), None)
    return {
        "year_label": label,
        "active": numbers["total"],
        "joiners": numbers["joiners"],
        "no_email": numbers["no_email"],
        "leavers": leavers,
        "completeness": numbers,
        "complete": numbers["total"] - numbers["incomplete"],
        "complete_percent": (
            round(100 * (numbers["total"] - numbers["incomplete"]) / numbers["total"])
            if numbers["total"]
            else 0
        ),
        "last_import": last_run,
        "last_import_summary": count_summary(last_run.counts or {}) if last_run else "",
    }


# On a line manager's dashboard at every visit: compiled once (portal.prepared).
_TEAM = PreparedQuery(
    lambda manager: (
        Technician.objects.filter(line_manager_id=manager, is_active=True)
        .select_related("department")
        .order_by(*NAME_ORDER)
    )
)


def team_of(manager: Technician | None) -> list[Technician]:
    """The manager's current reports, by name, with their departments and what the team panel
    shows. One query, kept on the manager's object: every panel of a line manager's dashboard
    that shows the team (this app's, training's) reads it from the request's technician
    (`permissions.technician_of`) and shares the list, which none of them changes."""
    if manager is None:
        return []
    team = getattr(manager, "_portal_team", None)
    if team is None:
        team = _TEAM.list(manager=manager.pk)
        for member in team:
            member.profile_gaps = profile_gaps(member)
        manager._portal_team = team
    return team


def departments_with_helpdesks() -> list[Department]:
    """Every department with its helpdesk address, by name, for Meet our technicians."""
    return list(Department.objects.order_by("name"))


# --- the people picker (portal.forms.PersonPicker; docs/development-people-picker.md) -------

PEOPLE_SUGGESTIONS = 8  # suggestions shown at most


def _name_matches(queryset: QuerySet[Technician], text: str) -> QuerySet[Technician]:
    """Technicians with every word of `text` in their name, or starting their e-mail address,
    or as their staff number."""
    for word in text.split():
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__istartswith=word)
            | Q(staff_number__iexact=word)
        )
    return queryset


def people_search(
    user, text: str, *, team: bool = False, accounts: bool = False
) -> list[Technician]:
    """The people picker's suggestions for what `user` typed: current technicians they may
    see (`team`: only themself and the people who report to them, whatever their profiles'
    visibility; `accounts`: only those with an active login), by name. One query."""
    if not text.split():
        return []
    if team:
        me = technician_of(user)
        if me is None:
            return []
        queryset = Technician.objects.filter(Q(pk=me.pk) | Q(line_manager=me), is_active=True)
    else:
        queryset = Technician.objects.filter(visible_technicians_filter(user), is_active=True)
    if accounts:
        queryset = queryset.filter(user__isnull=False, user__is_active=True)
    queryset = _name_matches(queryset, text).select_related("department")
    return list(queryset.order_by(*NAME_ORDER)[:PEOPLE_SUGGESTIONS])


def resolve_person(
    queryset: QuerySet[Technician], text: str
) -> tuple[Technician | None, list[Technician]]:
    """What a person field's typed text names among `queryset`: (the person, []) when it is
    an e-mail address or staff number there, or a name only one of them has; else (None, the
    first few who match, when several do). At most two queries."""
    text = " ".join(text.split())
    exact = queryset.filter(Q(email__iexact=text) | Q(staff_number__iexact=text)).first()
    if exact is not None:
        return exact, []
    matches = list(_name_matches(queryset, text).order_by(*NAME_ORDER)[: PEOPLE_SUGGESTIONS + 1])
    if len(matches) == 1:
        return matches[0], []
    return None, matches
