from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.forms import SignupForm
from allauth.account.internal import flows
from allauth.account.internal.userkit import filter_users_by_email
from allauth.core.internal.httpkit import clean_client_ip
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse

from technicians import selectors


class PortalAccountAdapter(DefaultAccountAdapter):
    """Only people on HR's staff list may create an account, with their work e-mail
    (StaffListSignupForm, ACCOUNT_FORMS["signup"]). Password reset stays open to every
    account, administrators who are not technicians included, and says nothing about who
    is on the list."""

    def is_on_staff_list(self, email: str) -> bool:
        return selectors.active_technician_with_email(email) is not None

    def is_open_for_signup(self, request) -> bool:
        """Password sign-up; closed when staff sign in by SSO only (PORTAL_PASSWORD_LOGIN)."""
        from technicians.password_login import password_login_on

        return password_login_on()

    def send_account_already_exists_mail(self, email: str) -> None:
        """Sign-up answers every address alike (allauth's enumeration prevention): an address
        with an account is told so by e-mail; an address off the staff list, with no account,
        is told what to do instead."""
        if filter_users_by_email(email):
            super().send_account_already_exists_mail(email)
            return
        self.send_mail(
            "account/email/not_on_staff_list",
            email,
            {
                "email": email,
                "login_url": self.request.build_absolute_uri(reverse("account_login")),
            },
        )

    def get_client_ip(self, request) -> str:
        """The client's address for the rate limits, from the trusted proxy's header
        (settings: PORTAL_TRUSTED_PROXY_COUNT or PORTAL_TRUSTED_PROXY_HEADER). A request that
        did not come through the proxies (a short or missing header) counts by the
        connecting address rather than failing."""
        try:
            return super().get_client_ip(request)
        except (ImproperlyConfigured, PermissionDenied):
            ip = clean_client_ip(request.META.get("REMOTE_ADDR", ""))
            if not ip:
                raise PermissionDenied("Unable to determine client IP address") from None
            return ip


class StaffListSignupForm(SignupForm):
    """Sign-up gives every address the same answer and the same page ("If this is a staff
    address, we have sent you an e-mail"), so nobody learns who is on the staff list. Only an
    address on the list gets an account; the others get an e-mail saying what to do."""

    on_staff_list = False

    def clean_email(self) -> str:
        email = super().clean_email()
        self.on_staff_list = bool(email) and get_adapter().is_on_staff_list(email)
        return email

    def try_save(self, request):
        if self.account_already_exists or self.on_staff_list:
            return super().try_save(request)
        # The same path as an address that already has an account: no user is made, the
        # adapter's send_account_already_exists_mail words the e-mail for this address.
        return None, flows.signup.prevent_enumeration(request, email=self.cleaned_data["email"])


class PortalSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on: anyone with an account here logs in with the university's identity
    provider; a new account is made only for an address on the staff list (the identity
    provider also knows students and visitors, who are not staff)."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        email = sociallogin.user.email or next(
            (address.email for address in sociallogin.email_addresses), ""
        )
        return bool(email) and get_adapter(request).is_on_staff_list(email)
