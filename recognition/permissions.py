"""Who may see and do what in recognition: the development fund, the awards and outputs.

- Staff (signed in, not leavers) see the open calls, nominate colleagues and keep their outputs.
- A technician applies to a call; their line manager may apply on their behalf. Both see the
  application, as do HR, the call's coordinator and its panel members.
- Panel members score (or declare a conflict); a member with a conflict on an application sees
  no one else's scores or comments on it. Applicants never see individual scores.
- HR runs calls, categories and rounds; HR or the call's coordinator awards; HR pays and
  withdraws.

`RecognitionConfig.ready()` registers CHECKS for `{% can %}` and the decorators.
"""

from __future__ import annotations

from typing import Any

from portal.permissions import is_hr
from technicians.permissions import is_staff_member, manages, technician_of


def _me(user: Any):
    me = technician_of(user)
    return me if me is not None and me.is_active else None


def can_use(user: Any) -> bool:
    return is_staff_member(user)


def can_manage(user: Any) -> bool:
    """Open calls, set categories and rounds, pay claims, withdraw awards, export REF lists."""
    return is_staff_member(user) and is_hr(user)


def is_applicant(user: Any, application) -> bool:
    me = _me(user)
    return bool(me is not None and application.applicant_id == me.pk)


def can_apply_for(user: Any, technician) -> bool:
    """The technician themselves, or their line manager on their behalf."""
    if not is_staff_member(user) or technician is None or not technician.is_active:
        return False
    me = _me(user)
    return bool(me is not None and (me.pk == technician.pk or manages(user, technician)))


def can_apply(user: Any) -> bool:
    return is_staff_member(user) and _me(user) is not None


def is_panel_member(user: Any, panel) -> bool:
    if panel is None or not getattr(user, "is_authenticated", False):
        return False
    return panel.members.filter(pk=user.pk).exists()


def is_coordinator(user: Any, panel) -> bool:
    return bool(
        panel is not None
        and getattr(user, "is_authenticated", False)
        and panel.coordinator_id == user.pk
    )


def can_decide(user: Any, panel) -> bool:
    """Award (or not) what a panel scored: HR or the panel's coordinator."""
    return is_staff_member(user) and (is_hr(user) or is_coordinator(user, panel))


def can_view_application(user: Any, application) -> bool:
    if not is_staff_member(user):
        return False
    panel = application.call.panel
    return (
        is_applicant(user, application)
        or manages(user, application.applicant)
        or is_hr(user)
        or is_coordinator(user, panel)
        or (is_panel_member(user, panel) and application.status != "draft")
    )


def can_edit_application(user: Any, application) -> bool:
    return application.status == "draft" and can_apply_for(user, application.applicant)


def can_review_application(user: Any, application) -> bool:
    panel = application.call.panel
    return bool(
        application.status == "submitted"
        and is_panel_member(user, panel)
        and not is_applicant(user, application)
    )


def can_see_scores(user: Any, application, own_review=None) -> bool:
    """Individual scores and comments: the coordinator and HR, and members without a conflict.
    The applicant and their manager never."""
    panel = application.call.panel
    if is_applicant(user, application) or manages(user, application.applicant):
        return False
    if is_hr(user) or is_coordinator(user, panel):
        return True
    if is_panel_member(user, panel):
        return own_review is None or not own_review.conflict
    return False


def can_claim(user: Any, application) -> bool:
    return application.status == "awarded" and can_apply_for(user, application.applicant)


def can_report(user: Any, application) -> bool:
    return application.status in ("awarded", "claimed", "paid") and can_apply_for(
        user, application.applicant
    )


def can_view_receipt(user: Any, application) -> bool:
    return can_view_application(user, application) and (
        is_applicant(user, application)
        or manages(user, application.applicant)
        or is_hr(user)
        or is_coordinator(user, application.call.panel)
    )


def can_view_nomination(user: Any, nomination, panel=None) -> bool:
    if not is_staff_member(user):
        return False
    return (
        nomination.nominated_by_id == user.pk
        or is_hr(user)
        or is_panel_member(user, panel)
        or is_coordinator(user, panel)
        or (nomination.status == "winner" and _is_nominee(user, nomination))
    )


def _is_nominee(user: Any, nomination) -> bool:
    me = _me(user)
    return bool(me is not None and nomination.nominee_id == me.pk)


def can_consent(user: Any, nomination) -> bool:
    return nomination.status == "winner" and _is_nominee(user, nomination)


def can_keep_outputs_of(user: Any, technician) -> bool:
    """Record outputs and confirm imported works: the technician, their line manager and HR."""
    if not is_staff_member(user) or technician is None:
        return False
    me = _me(user)
    return bool(
        (me is not None and me.pk == technician.pk) or manages(user, technician) or is_hr(user)
    )


def can_confirm_works_of(user: Any, technician) -> bool:
    """Which imported works are theirs, and their roles: the technician themselves."""
    me = _me(user)
    return bool(is_staff_member(user) and me is not None and me.pk == technician.pk)


def can_import_orcid_for(user: Any, technician) -> bool:
    """HR or the technician."""
    me = _me(user)
    return bool(
        is_staff_member(user) and ((me is not None and me.pk == technician.pk) or is_hr(user))
    )


# Who may attempt each step of an application (the services also check the state).
def may_take_application_step(user: Any, application, step: str) -> bool:
    panel = application.call.panel
    if step in ("submit", "claim", "report"):
        return can_apply_for(user, application.applicant)
    if step == "review":
        return is_panel_member(user, panel) and not is_applicant(user, application)
    if step in ("award", "decline"):
        return can_decide(user, panel) and not is_applicant(user, application)
    if step in ("pay", "withdraw"):
        return can_manage(user) and not is_applicant(user, application)
    return False


def may_take_nomination_step(user: Any, nomination, step: str, panel) -> bool:
    if step == "testimony":
        return nomination.nominated_by_id == getattr(user, "pk", None)
    if step == "review":
        return is_panel_member(user, panel)
    if step in ("award", "decline"):
        return can_manage(user) or is_coordinator(user, panel)
    if step == "consent":
        return _is_nominee(user, nomination)
    return False


CHECKS = {
    "recognition.use": can_use,
    "recognition.manage": can_manage,
    "recognition.apply": can_apply,
}
