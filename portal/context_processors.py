from django.conf import settings

from portal import permissions
from technicians.permissions import is_staff_member, technician_of


def portal(request):
    user = request.user
    return {
        "institution_name": settings.PORTAL_INSTITUTION_NAME,
        "nav": {
            "staff": is_staff_member(user),
            "hr": permissions.is_hr(user),
            "steering_group": permissions.is_steering_group(user),
            "training_coordinator": permissions.is_training_coordinator(user),
            "admin": permissions.is_admin(user),
            "technician": technician_of(user),
        },
    }
