"""Sign-in backends that load a user's technician, groups and team with the user.

Every signed-in page asks who the user's technician is (whether they are still staff, the
navigation's "my profile"), which roles they hold, and many whether they manage a team:
reading it all in the user's own query saves up to three queries on every request.
`AUTHENTICATION_BACKENDS` names these in place of Django's and allauth's backends, which they
otherwise leave exactly as they are.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef

from portal import registry
from portal.permissions import remember_group_names, with_group_names
from portal.prepared import PreparedLookup
from technicians.models import Technician
from technicians.permissions import remember_line_manager, remember_technician


def _signed_in_user(user_id: Any):
    """In one query: the user, their technician and its department, their groups, whether
    they manage anyone (the navigation and the dashboard ask on every page), and the facts
    the dashboard's panels ask about them."""
    # Against the technician the query joins already: PostgreSQL plans it in half the time
    # of a subquery with a join of its own.
    reports = Technician.objects.filter(line_manager_id=OuterRef("technician__id"), is_active=True)
    # And the facts other apps' dashboard panels ask about the user (registry.UserFact).
    facts = {registry.fact_attribute(fact.name): fact.exists() for fact in registry.user_facts()}
    return with_group_names(
        get_user_model()
        ._default_manager.select_related("technician__department")
        .annotate(_portal_manages_team=Exists(reports), **facts)
        .filter(pk=user_id)
    )


# Compiled once: every signed-in request runs it (portal.prepared says why).
_SIGNED_IN_USER = PreparedLookup(_signed_in_user)


class LoadsTechnicianWithUser:
    def get_user(self, user_id: Any):
        try:
            user = _SIGNED_IN_USER.get(int(user_id))
        except (TypeError, ValueError):  # not a user's key (a session from another system)
            return None
        if user is None:
            return None
        try:
            technician = user.technician
        except ObjectDoesNotExist:
            technician = None
        remember_technician(user, technician)
        remember_group_names(user)
        remember_line_manager(user, bool(technician and user._portal_manages_team))
        return user if self.user_can_authenticate(user) else None


class ModelBackend(LoadsTechnicianWithUser, DjangoModelBackend):
    """Django's username-and-password backend."""


class AccountBackend(LoadsTechnicianWithUser, AllauthBackend):
    """allauth's backend: e-mail sign-in and single sign-on."""
