"""A client of the ORCID public API (v3.0): a person's works, read from
`{ORCID_API_URL}/{orcid}/works` with `requests`, a timeout, and JSON.

`fetch_works(orcid)` returns `Work` values (title, DOI, URL, year, kind, put code) and raises
`OrcidError` with a sentence for the person when ORCID cannot be reached or answers with
something unexpected. The tests hand it a recorded response (tests/recognition/) and never
reach the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

DEFAULT_API_URL = "https://pub.orcid.org/v3.0"
DEFAULT_TIMEOUT = (3.05, 10)  # connect, read (seconds)

KINDS = {
    "journal-article": "paper",
    "conference-paper": "paper",
    "book-chapter": "paper",
    "preprint": "paper",
    "data-set": "dataset",
    "software": "software",
}


class OrcidError(Exception):
    pass


@dataclass(frozen=True)
class Work:
    put_code: str
    title: str
    year: int | None
    doi: str
    url: str
    kind: str  # an Output.Kind value


def api_url() -> str:
    return getattr(settings, "ORCID_API_URL", DEFAULT_API_URL).rstrip("/")


def _value(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def normalise_doi(doi: str) -> str:
    doi = (doi or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    return doi.lower()


def parse_works(data: dict[str, Any]) -> list[Work]:
    """The works of a `/works` answer: one per group (ORCID groups the same work's versions),
    its preferred (first) summary."""
    works = []
    for group in data.get("group") or []:
        summaries = group.get("work-summary") or []
        if not summaries:
            continue
        summary = summaries[0]
        title = (_value(summary, "title", "title", "value") or "").strip()
        if not title:
            continue
        doi = ""
        for external in _value(summary, "external-ids", "external-id") or []:
            if (external.get("external-id-type") or "").lower() == "doi":
                doi = normalise_doi(external.get("external-id-value") or "")
                if external.get("external-id-relationship", "self") == "self":
                    break
        year_text = _value(summary, "publication-date", "year", "value")
        try:
            year = int(year_text) if year_text else None
        except ValueError:
            year = None
        works.append(
            Work(
                put_code=str(summary.get("put-code") or ""),
                title=title[:500],
                year=year,
                doi=doi,
                url=(_value(summary, "url", "value") or "")[:500],
                kind=KINDS.get(summary.get("type") or "", "other"),
            )
        )
    return works


def fetch_works(orcid: str, *, session: requests.Session | None = None) -> list[Work]:
    url = f"{api_url()}/{orcid}/works"
    timeout = getattr(settings, "ORCID_TIMEOUT", DEFAULT_TIMEOUT)
    try:
        response = (session or requests).get(
            url, headers={"Accept": "application/json"}, timeout=timeout
        )
    except requests.RequestException:
        raise OrcidError("ORCID could not be reached just now: please try again later.") from None
    if response.status_code == 404:
        raise OrcidError(f"ORCID knows no record {orcid}: please check the iD on the profile.")
    if response.status_code != 200:
        raise OrcidError(
            f"ORCID answered with an error ({response.status_code}): please try again later."
        )
    try:
        data = response.json()
    except ValueError:
        raise OrcidError("ORCID's answer could not be read: please try again later.") from None
    if not isinstance(data, dict):
        raise OrcidError("ORCID's answer could not be read: please try again later.")
    return parse_works(data)
