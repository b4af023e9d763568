"""View decorators that apply `portal.permissions`: anonymous users go to the login page,
logged-in users without permission get 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(check: Callable[..., bool]):
    """Guard a view with a user-level check from `portal.permissions`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def deny_unless(request, allowed: bool) -> None:
    """For object-level checks inside a view: 403 when a logged-in user may not do this."""
    if not allowed:
        raise PermissionDenied
