"""Who writes announcements (the steering group, HR, administrators) and who reads them
(every member of staff)."""

from __future__ import annotations

from typing import Any

from portal.permissions import is_admin, is_hr, is_staff_member, is_steering_group


def can_write_announcement(user: Any) -> bool:
    return is_steering_group(user) or is_hr(user) or is_admin(user)


def can_read_announcements(user: Any) -> bool:
    return is_staff_member(user)


CHECKS = {
    "announcements.write": can_write_announcement,
    "announcements.read": can_read_announcements,
}
