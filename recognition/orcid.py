"""A client of the ORCID public API (v3.0): a person's works, read from
`{ORCID_API_URL}/{orcid}/works` with `requests`, a timeout, and JSON.

`fetch_works(orcid)` returns `Work` values (title, DOI, URL, year, journal, kind, put codes)
and raises `OrcidError` with a sentence for the person when ORCID cannot be reached or answers
with something unexpected. The tests hand it a response recorded from ORCID
(tests/recognition/, with a note on where it comes from) and never reach the network.

How a `/works` answer is read (ORCID's v3.0 JSON):
- ORCID groups the versions of one work (from different sources) in a `group`; the version
  shown is the group's preferred one, the `work-summary` with the greatest `display-index`
  (the first of them on a tie). Its put code names the work; the group's other put codes are
  kept so a later import knows the work whichever version it meets.
- The DOI is the preferred version's `doi` external id of relationship `self`, as ORCID
  normalised it (`external-id-normalized`, lower case). A value ORCID could not normalise
  (`external-id-normalized-error`: "book1", "123") is not a DOI, so it is left out.
- The same DOI in two groups is one work: the later group only adds its put codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
    "working-paper": "paper",
    "report": "paper",
    "data-set": "dataset",
    "software": "software",
}
DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")


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
    journal: str = ""
    put_codes: tuple[str, ...] = field(default=())  # every version's, the preferred first


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


def _preferred(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """The version ORCID shows: the greatest display-index, the first of them on a tie."""

    def rank(item: tuple[int, dict[str, Any]]) -> tuple[int, int]:
        index, summary = item
        try:
            shown = int(summary.get("display-index") or 0)
        except (TypeError, ValueError):
            shown = 0
        return shown, -index

    return max(enumerate(summaries), key=rank)[1]


def _doi(summary: dict[str, Any]) -> str:
    """The work's own DOI as ORCID normalised it; "" when it has none ORCID could read."""
    found = ""
    for external in _value(summary, "external-ids", "external-id") or []:
        if (external.get("external-id-type") or "").lower() != "doi":
            continue
        if external.get("external-id-normalized-error"):
            continue  # ORCID could not read it as a DOI ("book1")
        normalised = _value(external, "external-id-normalized", "value")
        doi = normalise_doi(normalised or external.get("external-id-value") or "")
        if not DOI_SHAPE.match(doi):
            continue
        relationship = (external.get("external-id-relationship") or "self").lower()
        if relationship == "self":
            return doi
        found = found or doi
    return found


def _year(summary: dict[str, Any]) -> int | None:
    text = _value(summary, "publication-date", "year", "value")
    try:
        return int(text) if text else None
    except (TypeError, ValueError):
        return None


def _text(node: Any, *path: str) -> str:
    value = _value(node, *path)
    return value.strip() if isinstance(value, str) else ""


def parse_works(data: dict[str, Any]) -> list[Work]:
    """The works of a `/works` answer, in ORCID's order: one per group (its preferred
    version), one per DOI across groups."""
    works: list[Work] = []
    by_doi: dict[str, int] = {}
    for group in data.get("group") or []:
        summaries = [s for s in group.get("work-summary") or [] if isinstance(s, dict)]
        if not summaries:
            continue
        summary = _preferred(summaries)
        put_code = str(summary.get("put-code") or "")
        others = [str(s.get("put-code") or "") for s in summaries if s is not summary]
        put_codes = tuple(code for code in [put_code, *others] if code)
        doi = _doi(summary)
        if doi and doi in by_doi:  # the same work in an earlier group: it gains the put codes
            index = by_doi[doi]
            earlier = works[index]
            merged = tuple(dict.fromkeys([*earlier.put_codes, *put_codes]))
            works[index] = Work(**{**earlier.__dict__, "put_codes": merged})
            continue
        title = _text(summary, "title", "title", "value")
        if not title:
            continue
        if doi:
            by_doi[doi] = len(works)
        works.append(
            Work(
                put_code=put_code,
                title=title[:500],
                year=_year(summary),
                doi=doi,
                url=_text(summary, "url", "value")[:500],
                kind=KINDS.get(summary.get("type") or "", "other"),
                journal=_text(summary, "journal-title", "value")[:300],
                put_codes=put_codes,
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
