"""What professional registration shows in the people directory, through the registry
(RegistrationConfig.ready()): the "professionally registered" and "register" filters, and
the post-nominals on cards and profiles. The directory names none of this."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from portal.registry import DirectoryFilter
from registration import selectors
from registration import versions as registration_versions
from registration.models import Registration


def active_registrations():
    """Active registrations of the technician of the outer query."""
    return Registration.objects.filter(technician=OuterRef("pk"), status=Registration.Status.ACTIVE)


def _nothing(queryset, name, value):
    return queryset  # applied by `apply`, below


def directory_filters(request) -> dict[str, Any]:
    return {
        "registered": django_filters.BooleanFilter(
            label="Professionally registered", method=_nothing, widget=forms.CheckboxInput
        ),
        "register": django_filters.ChoiceFilter(
            label="Register",
            choices=selectors.register_choices(),  # by code, as the URL names it
            method=_nothing,
            empty_label="Any register",
        ),
    }


def apply_directory_filters(queryset, data: dict[str, Any]):
    """With an active registration (on any register), or on the register chosen."""
    register = data.get("register")
    if register:
        return queryset.filter(Exists(active_registrations().filter(register__code=register)))
    if data.get("registered"):
        return queryset.filter(Exists(active_registrations()))
    return queryset


DIRECTORY_FILTER = DirectoryFilter(
    name="registration",
    filters=directory_filters,
    apply=apply_directory_filters,
    order=20,
    depends_on=(registration_versions.REGISTERS,),  # the register choices
)


def register_in_directory(registry) -> None:
    registry.register_directory_filter(DIRECTORY_FILTER)
    # A card's letters come from the registrations and the registers' post-nominals.
    registry.register_card_data(
        "registration",
        selectors.with_post_nominals,
        depends_on=(registration_versions.REGISTERS, registration_versions.REGISTRATIONS),
    )
    registry.register_post_nominals("registration", selectors.post_nominals)
