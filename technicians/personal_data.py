"""The technicians app's part of a person's data (portal.personal_data): the profile and the
photo for the subject-access zip, and what retention removes from the profile and account."""

from __future__ import annotations

from django.db import transaction

from portal.personal_data import PersonalData
from technicians import search
from technicians.models import Technician

FORMER_FIRST_NAME = "Former"
FORMER_LAST_NAME = "technician"  # shown as "Former technician"

PROFILE_FIELDS = (
    "staff_number",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "role_family",
    "grade",
    "department__name",
    "line_manager__staff_number",
    "bio",
    "expertise",
    "equipment",
    "orcid",
    "started_on",
    "left_on",
    "fte",
    "is_apprentice",
    "is_active",
    "visibility",
    "created",
    "updated",
)


def collect(technician: Technician) -> PersonalData:
    profile = list(Technician.objects.filter(pk=technician.pk).values(*PROFILE_FIELDS))
    account = []
    if technician.user_id:
        user = technician.user
        account = [
            {
                "username": user.username,
                "email": user.email,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "groups": [group.name for group in user.groups.all()],
            }
        ]
    files = [("photo" + _extension(technician.photo.name), technician.photo)]
    return PersonalData(
        description="your profile (from HR's staff list and what you wrote), your account",
        tables={"profile": profile, "account": account},
        files=files if technician.photo else [],
    )


def _extension(name: str) -> str:
    tail = name.rsplit("/", 1)[-1]
    return "." + tail.rsplit(".", 1)[-1] if "." in tail else ""


def anonymise(technician: Technician, *, dry_run: bool) -> list[str]:
    """The name becomes "Former technician"; contact details, photo, bio, expertise, kit and
    ORCID go; the account can no longer sign in. Figures (department, grade, role family, FTE,
    dates) stay."""
    done = [
        "name → “Former technician”",
        "e-mail address, staff number and ORCID iD removed",
        "bio, expertise and equipment removed",
    ]
    if technician.photo:
        done.append("photo deleted")
    if technician.user_id:
        done.append("account closed (no sign-in; name and address removed)")
    if dry_run:
        return done
    storage = Technician._meta.get_field("photo").storage
    files = [name for name in (technician.photo.name, technician.photo_thumbnail.name) if name]
    technician.first_name, technician.last_name = FORMER_FIRST_NAME, FORMER_LAST_NAME
    technician.email = f"former-{technician.pk}@anonymised.invalid"
    technician.staff_number = f"former-{technician.pk}"
    technician.orcid = technician.bio = technician.expertise = technician.equipment = ""
    technician.photo = technician.photo_thumbnail = ""
    technician.visibility = Technician.Visibility.PRIVATE
    technician.save()
    search.refresh_search_vectors([technician.pk])
    if technician.user_id:
        _close_account(technician.user)
    transaction.on_commit(lambda: [storage.delete(name) for name in files], robust=True)
    return done


def _close_account(user) -> None:
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    user.first_name, user.last_name = FORMER_FIRST_NAME, FORMER_LAST_NAME
    user.email = f"former-user-{user.pk}@anonymised.invalid"
    user.username = f"former-user-{user.pk}"
    user.is_active = False
    user.set_unusable_password()
    user.save()
