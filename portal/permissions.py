"""The permission rules that cross every app: roles (Django groups) and administrators.

Each app keeps its own rules in its `permissions.py` and registers the ones templates and
decorators ask for by name into `portal.registry` from its `AppConfig.ready()`. This module
imports no app: whether someone is still a member of staff (a leaver is not) is the
technicians app's rule, which it registers as the check named "staff_member".
A line manager is a relation (`Technician.line_manager`), not a group.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery

from portal import registry, roles

STAFF_MEMBER_CHECK = "staff_member"
# Joins a user's group names in one column: the ASCII unit separator, which no name holds.
_SEPARATOR = chr(31)
_JOINED_GROUP_NAMES = "_portal_joined_group_names"


def group_names(user: Any) -> frozenset[str]:
    """The user's group names, read once per request and kept on the user object (read with
    the user, where the sign-in backend asked for them: `with_group_names`)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_group_names = cached
    return cached


class _JoinedNames(Aggregate):
    """The names joined by the unit separator (PostgreSQL's string_agg, SQLite's group_concat)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, CHR(31))"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, CHAR(31))",
            **extra_context,
        )


def with_group_names(users: QuerySet) -> QuerySet:
    """`users` with each user's group names read in the same query: the sign-in backends load
    the request's user this way, which saves every signed-in page a query of its own."""
    if connections[users.db].vendor not in ("postgresql", "sqlite"):
        return users  # group_names() asks for them
    memberships = get_user_model().groups.through.objects
    joined = (
        memberships.filter(user_id=OuterRef("pk"))
        .order_by()
        .values("user_id")
        .annotate(names=_JoinedNames("group__name"))
        .values("names")
    )
    return users.annotate(**{_JOINED_GROUP_NAMES: Subquery(joined)})


def remember_group_names(user: Any) -> None:
    """Keep the group names `with_group_names` read as the user's for this request."""
    if hasattr(user, _JOINED_GROUP_NAMES):
        joined = getattr(user, _JOINED_GROUP_NAMES)
        user._portal_group_names = frozenset(joined.split(_SEPARATOR)) if joined else frozenset()


def can_log_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_staff_member(user: Any) -> bool:
    """Still a member of staff: the check the technicians app registers (a leaver is not).
    Every role check asks it, dozens of times a page: the answer is kept on the user object,
    which lives for one request (the next request loads the user, and asks, afresh)."""
    cached = getattr(user, "_portal_is_staff_member", None)
    if cached is not None:
        return cached
    if registry.has_check(STAFF_MEMBER_CHECK):
        answer = bool(registry.check(STAFF_MEMBER_CHECK, user))
    else:
        answer = can_log_in(user)
    if getattr(user, "is_authenticated", False):
        user._portal_is_staff_member = answer
    return answer


def is_admin(user: Any) -> bool:
    return is_staff_member(user) and (user.is_superuser or roles.ADMINISTRATOR in group_names(user))


def has_role(user: Any, role: str) -> bool:
    """In the role's group (or an administrator), and still a member of staff."""
    return is_staff_member(user) and (role in group_names(user) or is_admin(user))


def is_hr(user: Any) -> bool:
    return has_role(user, roles.HR)


def is_steering_group(user: Any) -> bool:
    return has_role(user, roles.STEERING_GROUP)


def is_training_coordinator(user: Any) -> bool:
    return has_role(user, roles.TRAINING_COORDINATOR)


def can_use_admin(user: Any) -> bool:
    return is_admin(user)


def can_enter_admin_site(user: Any) -> bool:
    """Administrators, and HR for the few models whose admin grants HR (the registers'
    fees): the admin shows each person only the models they may use."""
    return is_admin(user) or is_hr(user)


# The kernel's own named checks; PortalConfig.ready() registers them.
CHECKS = {
    "use_admin": can_use_admin,
    "hr": is_hr,
    "steering_group": is_steering_group,
    "training_coordinator": is_training_coordinator,
}


def check(name: str, user: Any, *args: Any) -> bool:
    """Ask a named check of any app (see `portal.registry`)."""
    return registry.check(name, user, *args)
