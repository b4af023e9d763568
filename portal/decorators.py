"""View decorators for the permission checks: anonymous users go to the login page,
logged-in users without permission get 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from portal import registry


def permission_required(check: Callable[..., bool] | str, *, reason: str = ""):
    """Guard a view with a user-level check: a function of an app's `permissions.py`, or the
    name of a check registered in `portal.registry` (read when the view is called). `reason`,
    when given, is the sentence the 403 page shows a logged-in user who is refused."""

    def allowed(user) -> bool:
        return registry.check(check, user) if isinstance(check, str) else bool(check(user))

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied(reason)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def deny_unless(request, allowed: bool) -> None:
    """For object-level checks inside a view: 403 when a logged-in user may not do this."""
    if not allowed:
        raise PermissionDenied
