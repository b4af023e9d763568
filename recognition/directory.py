"""What recognition shows in the people directory and on profiles, through the registry
(RecognitionConfig.ready()): the "CRediT role" filter ("who does formal analysis"), and a
profile block with the person's awards (with their consent) and research outputs with roles.
The directory names none of this."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import Exists, F, OuterRef, TextField, Value
from django.db.models.functions import Cast

from portal.prepared import PreparedQuery
from portal.registry import DirectoryFilter, ProfileBlock
from recognition.models import CREDIT_ROLES, Contribution, Nomination


def _nothing(queryset, name, value):
    return queryset  # applied by `apply`, below


def directory_filters(request) -> dict[str, Any]:
    return {
        "credit_role": django_filters.ChoiceFilter(
            label="Research role (CRediT)",
            choices=CREDIT_ROLES,
            method=_nothing,
            empty_label="Any research role",
        ),
    }


def apply_directory_filters(queryset, data: dict[str, Any]):
    """Technicians with a confirmed contribution in that CRediT role."""
    role = data.get("credit_role")
    if not role:
        return queryset
    return queryset.filter(
        Exists(
            Contribution.objects.filter(
                technician=OuterRef("pk"), confirmed=True, roles__contains=[role]
            )
        )
        if _json_contains_supported()
        else Exists(
            Contribution.objects.filter(
                technician=OuterRef("pk"), confirmed=True, roles__icontains=f'"{role}"'
            )
        )
    )


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


DIRECTORY_FILTER = DirectoryFilter(
    name="recognition", filters=directory_filters, apply=apply_directory_filters, order=30
)


@dataclass(frozen=True)
class ProfileLine:
    title: str
    year: int
    link: str = ""
    credit: str = ""
    roles: tuple[str, ...] = ()


def _profile_lines(technician: int):
    """The rows of `profile_block`: confirmed outputs and consented awards, one union."""
    outputs = (
        Contribution.objects.filter(technician_id=technician, confirmed=True)
        .annotate(
            row=Value("output"),
            title=F("output__title"),
            year=F("output__year"),
            doi=F("output__doi"),
            url=F("output__url"),
            given=F("credit"),
            codes=Cast("roles", TextField()),
        )
        .values_list("row", "title", "year", "doi", "url", "given", "codes")
        .order_by()
    )
    awards = (
        Nomination.objects.filter(
            status=Nomination.Status.WINNER, consent_to_publish=True, nominee_id=technician
        )
        .annotate(
            row=Value("award"),
            title=F("category__name"),
            year=F("round_year"),
            doi=Value(""),
            url=Value(""),
            given=Value(""),
            codes=Value(""),
        )
        .values_list("row", "title", "year", "doi", "url", "given", "codes")
        .order_by()
    )
    return outputs.union(awards, all=True).order_by("-year", "title")


# Compiled once (portal.prepared): every profile page asks it.
_PROFILE_LINES = PreparedQuery(_profile_lines)


def profile_block(request, technician) -> dict[str, Any] | None:
    """The technician's awards (with their consent) and confirmed outputs with roles, read in
    one query (a union of the two), so the profile costs one query more whatever they hold."""
    lines: dict[str, list[ProfileLine]] = {"award": [], "output": []}
    credits = dict(Contribution.Credit.choices)
    for row, title, year, doi, url, given, codes in _PROFILE_LINES.list(technician=technician.pk):
        lines[row].append(
            ProfileLine(
                title=title,
                year=year,
                link=f"https://doi.org/{doi}" if doi else url,
                credit=credits.get(given, ""),
                roles=tuple(json.loads(codes)) if codes else (),
            )
        )
    if not lines["award"] and not lines["output"]:
        return None
    return {"awards": lines["award"], "contributions": lines["output"]}


PROFILE_BLOCK = ProfileBlock(
    name="recognition",
    template="recognition/blocks/profile.html",
    context=profile_block,
    order=40,
)
