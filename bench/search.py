"""What the stored search vector buys: the directory search with it, and built per query.

    DATABASE_URL=postgres://… .venv/bin/python bench/search.py [WORD]

Runs the directory's search (the count and the first page of 24, ranked, as the page does)
for a technician, once through the stored, GIN-indexed `Technician.search_vector`
(technicians.search) and once with the vector built from the fields for every row in every
query, as the directory did before. Prints the median milliseconds of each as JSON.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.postgres.search import SearchQuery, SearchRank  # noqa: E402

from technicians import search, selectors  # noqa: E402
from technicians.models import Technician  # noqa: E402

REPEAT = 7


def built_per_query(queryset, text):
    """The directory's search before the stored vector (the same weights and config)."""
    vector = search.search_vector()
    query = SearchQuery(text, search_type="websearch", config=search.SEARCH_CONFIG)
    return (
        queryset.annotate(built=vector)
        .filter(built=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", *selectors.NAME_ORDER)
    )


def stored(queryset, text):
    return selectors.sort_technicians(selectors.search_technicians(queryset, text), "relevance")


def timed(make) -> float:
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        found = make()
        found.count()
        list(found.values_list("pk", flat=True)[:24])
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    word = sys.argv[1] if len(sys.argv) > 1 else "welding"
    user = get_user_model().objects.get(email="technician@example.ac.uk")
    visible = selectors.visible_technicians(user)
    stored_ms = timed(lambda: stored(visible, word))
    built_ms = timed(lambda: built_per_query(visible, word))
    same = list(stored(visible, word).values_list("pk", flat=True)) == list(
        built_per_query(visible, word).values_list("pk", flat=True)
    )
    json.dump(
        {
            "word": word,
            "technicians": Technician.objects.count(),
            "stored_ms": round(stored_ms, 1),
            "built_ms": round(built_ms, 1),
            "same_results": same,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
