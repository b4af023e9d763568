from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from portal import permissions, registry


def portal(request):
    # Error pages render without a user: a request refused before the authentication
    # middleware ran (an unknown Host header gets the 400 page) has no request.user.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "institution_name": settings.PORTAL_INSTITUTION_NAME,
        "password_login": settings.PORTAL_PASSWORD_LOGIN,
        "nav": {
            "staff": permissions.is_staff_member(user),
            "hr": permissions.is_hr(user),
            "steering_group": permissions.is_steering_group(user),
            "training_coordinator": permissions.is_training_coordinator(user),
            "admin": permissions.is_admin(user),
            # What the apps add, e.g. `technician` (the user's profile) from technicians.
            **registry.nav_for(user),
        },
    }
