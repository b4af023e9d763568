"""Sign-in backends that load a user's technician with the user.

Every signed-in page asks who the user's technician is (whether they are still staff, the
navigation's "my profile"): loading it in the user's own query saves a query on every request.
`AUTHENTICATION_BACKENDS` names these in place of Django's and allauth's backends, which they
otherwise leave exactly as they are.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ObjectDoesNotExist

from technicians.permissions import remember_technician


class LoadsTechnicianWithUser:
    def get_user(self, user_id: Any):
        users = get_user_model()._default_manager.select_related("technician__department")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        try:
            technician = user.technician
        except ObjectDoesNotExist:
            technician = None
        remember_technician(user, technician)
        return user if self.user_can_authenticate(user) else None


class ModelBackend(LoadsTechnicianWithUser, DjangoModelBackend):
    """Django's username-and-password backend."""


class AccountBackend(LoadsTechnicianWithUser, AllauthBackend):
    """allauth's backend: e-mail sign-in and single sign-on."""
