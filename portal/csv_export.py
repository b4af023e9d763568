"""CSV in and out. Every export neutralises cells a spreadsheet would run as a formula."""

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """Prefix a formula-like cell with an apostrophe so a spreadsheet shows it as text.

    A cell that already starts with apostrophes before a formula character ("'=x") gets one
    more, so that `unneutralise` gives back exactly the original value.
    """
    text = "" if value is None else str(value)
    if text.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """The inverse, for imports of our own exports: "'=x" reads back as "=x"."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Exports hold people's data: never kept by a proxy or on a shared computer's disk.
    patch_cache_control(response, private=True, no_store=True)
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response
