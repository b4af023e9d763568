"""SSO only (PORTAL_PASSWORD_LOGIN off): staff sign in with the university's account, and a
password is accepted only from administrators, so the portal can still be run while the
identity provider is down."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.conf import settings

from portal.permissions import is_admin

SSO_ONLY_MESSAGE = (
    "Sign in with your university account: the buttons above. Password sign-in is for "
    "administrators only."
)


def password_login_on() -> bool:
    return settings.PORTAL_PASSWORD_LOGIN


def may_sign_in_with_password(user: Any) -> bool:
    return password_login_on() or is_admin(user)


class StaffLoginForm(LoginForm):
    """ACCOUNT_FORMS["login"]: refuses a correct password from anyone but an administrator
    when password sign-in is off. The check comes after authentication, so what it says
    tells nothing to someone who does not know the password."""

    def clean(self):
        cleaned = super().clean()
        if self.user is not None and not may_sign_in_with_password(self.user):
            raise forms.ValidationError(SSO_ONLY_MESSAGE, code="password_login_off")
        return cleaned
