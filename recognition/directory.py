"""What recognition shows in the people directory and on profiles, through the registry
(RecognitionConfig.ready()): the "CRediT role" filter ("who does formal analysis"), and a
profile block with the person's awards (with their consent) and research outputs with roles.
The directory names none of this."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef

from portal.registry import DirectoryFilter, ProfileBlock
from recognition import selectors
from recognition.models import CREDIT_ROLES, Contribution


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


def profile_block(request, technician) -> dict[str, Any] | None:
    awards = selectors.profile_awards(technician)
    contributions = selectors.contributions_of(technician)
    if not awards and not contributions:
        return None
    return {"awards": awards, "contributions": contributions}


PROFILE_BLOCK = ProfileBlock(
    name="recognition",
    template="recognition/blocks/profile.html",
    context=profile_block,
    order=40,
)
