from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms

from technicians import selectors


class PortalAccountAdapter(DefaultAccountAdapter):
    """Only people on HR's staff list may create an account, with their work e-mail."""

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not selectors.active_technician_with_email(email):
            raise forms.ValidationError(
                "This address is not on the staff list. Use your work e-mail address, "
                "or ask HR to add you to the staff list."
            )
        return email


class PortalSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on accounts are the university's own: always open."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return True
