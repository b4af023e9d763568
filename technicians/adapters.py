from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.forms import SignupForm
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms

from technicians import selectors

NOT_ON_STAFF_LIST = (
    "This address is not on the staff list. Use your work e-mail address, "
    "or ask HR to add you to the staff list."
)


class PortalAccountAdapter(DefaultAccountAdapter):
    """Only people on HR's staff list may create an account, with their work e-mail
    (StaffListSignupForm, ACCOUNT_FORMS["signup"]). Password reset stays open to every
    account, administrators who are not technicians included, and says nothing about who
    is on the list."""

    def is_on_staff_list(self, email: str) -> bool:
        return selectors.active_technician_with_email(email) is not None


class StaffListSignupForm(SignupForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        if email and not get_adapter().is_on_staff_list(email):
            raise forms.ValidationError(NOT_ON_STAFF_LIST, code="not_on_staff_list")
        return email


class PortalSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on: anyone with an account here logs in with the university's identity
    provider; a new account is made only for an address on the staff list (the identity
    provider also knows students and visitors, who are not staff)."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        email = sociallogin.user.email or next(
            (address.email for address in sociallogin.email_addresses), ""
        )
        return bool(email) and get_adapter(request).is_on_staff_list(email)
