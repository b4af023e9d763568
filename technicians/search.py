"""The directory's stored search vector (PostgreSQL): what each technician is found by.

`Technician.search_vector` holds names (weight A), job title (B), expertise, equipment and
whatever text other apps add (C: the names of their skills, registered through
`portal.registry.register_search_field`), so a search reads one GIN-indexed column instead of
building every technician's vector for every query. Whatever changes those fields calls
`refresh_search_vectors` in the same transaction: the profile service, the staff list's bulk
paths, the demo seeders and the other apps' own services; single rows saved or deleted through
the ORM (the admin, a factory) refresh through signals (below, and each app's `watch()`).
Elsewhere (SQLite) the column stays empty and the directory searches the fields themselves
(technicians.selectors).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery
from django.db import connections, router

from technicians.indexes import SearchVectorIndex  # noqa: F401  (named by migration 0005)
from technicians.models import Technician

SEARCH_CONFIG = "english"
_WORD = re.compile(r"\w+")

# Only UPDATE this many technicians in one statement (the staff list can touch 12,500).
_BATCH = 2000


def reason_words(text: str) -> list[str]:
    """The searched words a card's "why this person matched" looks for (lower case, at least
    two letters, the first ten), and the other apps' prefetches read rows for."""
    return [word.lower() for word in _WORD.findall(text or "") if len(word) > 1][:10]


class SearchedOnce(SearchQuery):
    """A websearch query written as an uncorrelated subquery, `(SELECT websearch_to_tsquery(…))`,
    which PostgreSQL works out once per run (an InitPlan) and the GIN index still uses.

    The directory's search is a prepared statement (config.settings, `prepare_threshold`);
    from its sixth run PostgreSQL may use a generic plan, which cannot fold the function of a
    parameter into a constant and calls it again for every matching row, in the filter and
    in the rank: "safety" at 12,500 technicians (2,501 matches) took 15.6 ms against 11.6 ms
    this way, the machine loaded alike (bench/tuning.md)."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"(SELECT {sql})", params


def searched(text: str) -> SearchedOnce:
    """What the directory searches for `text`: websearch syntax, the stored vector's config."""
    return SearchedOnce(text, search_type="websearch", config=SEARCH_CONFIG)


def search_vector():
    """The stored vector's expression, for an UPDATE of technicians (one query)."""
    from django.contrib.postgres.search import SearchVector

    from portal import registry

    extra = [field.vector_text() for field in registry.search_fields()]
    return (
        SearchVector("first_name", "last_name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("job_title", weight="B", config=SEARCH_CONFIG)
        + SearchVector("expertise", "equipment", *extra, weight="C", config=SEARCH_CONFIG)
    )


def uses_stored_vector(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def refresh_search_vectors(technician_ids: Iterable[int] | None = None) -> int:
    """Rebuild the stored vector of these technicians (every technician for None). Does nothing
    off PostgreSQL. One UPDATE per 2,000 technicians; returns how many rows were written."""
    using = router.db_for_write(Technician)
    if not uses_stored_vector(using):
        return 0
    if technician_ids is None:
        return Technician.objects.using(using).update(search_vector=search_vector())
    ids = sorted({int(pk) for pk in technician_ids if pk is not None})
    written = 0
    for start in range(0, len(ids), _BATCH):
        written += (
            Technician.objects.using(using)
            .filter(pk__in=ids[start : start + _BATCH])
            .update(search_vector=search_vector())
        )
    return written


# --- single rows saved through the ORM (the admin, a factory, a service's own save) -----------

SEARCHED_FIELDS = frozenset({"first_name", "last_name", "job_title", "expertise", "equipment"})


def technician_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created or update_fields is None or SEARCHED_FIELDS & set(update_fields):
        refresh_search_vectors([instance.pk])


def connect_signals() -> None:
    """Bulk paths (bulk_create, bulk_update, update) send no signals: they call
    refresh_search_vectors themselves."""
    from django.db.models.signals import post_save

    post_save.connect(technician_saved, sender=Technician, dispatch_uid="search:technician")
