"""Who may see and do what in professional registration and its funding.

- A technician keeps their own registrations and CPD entries, applies for funding, withdraws
  before a decision, and uploads proof of registration once approved.
- The applicant's line manager endorses (when the applicant has no line manager, HR does).
- HR decides, records payments, sets budgets, reads the summary and sees everything.
- Nobody decides on, endorses or pays their own application.

`RegistrationConfig.ready()` registers CHECKS for `{% can %}` and the decorators.
"""

from __future__ import annotations

from typing import Any

from portal.permissions import is_hr
from technicians.permissions import (  # noqa: F401  (is_line_manager: for the panels)
    is_line_manager,
    is_staff_member,
    manages,
    technician_of,
)


def _statuses():
    from registration.models import FundingApplication

    return FundingApplication.Status


def is_applicant(user: Any, application) -> bool:
    me = technician_of(user)
    return bool(me is not None and me.is_active and application.applicant_id == me.pk)


def can_use_registration(user: Any) -> bool:
    return is_staff_member(user)


def can_keep_records(user: Any) -> bool:
    """Registrations, CPD entries and applications of one's own: technicians on the staff list."""
    me = technician_of(user)
    return bool(is_staff_member(user) and me is not None and me.is_active)


can_apply = can_keep_records


def can_review(user: Any) -> bool:
    return is_line_manager(user) or is_hr(user)


def can_manage_funding(user: Any) -> bool:
    """Budgets, the summary, every application."""
    return is_hr(user)


def has_no_line_manager(application) -> bool:
    manager = application.applicant.line_manager
    return manager is None or not manager.is_active or manager.user_id is None


def is_endorser(user: Any, application) -> bool:
    """The applicant's line manager; HR when the applicant has none who can log in."""
    if is_applicant(user, application):
        return False
    if manages(user, application.applicant):
        return True
    return is_hr(user) and has_no_line_manager(application)


def can_view_application(user: Any, application) -> bool:
    if not is_staff_member(user):
        return False
    return is_applicant(user, application) or manages(user, application.applicant) or is_hr(user)


def can_edit_application(user: Any, application) -> bool:
    return is_applicant(user, application) and application.status == _statuses().DRAFT


def can_submit(user: Any, application) -> bool:
    return is_applicant(user, application) and application.status == _statuses().DRAFT


def can_withdraw(user: Any, application) -> bool:
    S = _statuses()
    return is_applicant(user, application) and application.status in (
        S.DRAFT,
        S.SUBMITTED,
        S.ENDORSED,
    )


def can_endorse(user: Any, application) -> bool:
    return application.status == _statuses().SUBMITTED and is_endorser(user, application)


def is_decider(user: Any, application) -> bool:
    return is_hr(user) and not is_applicant(user, application)


def can_decide(user: Any, application) -> bool:
    return application.status == _statuses().ENDORSED and is_decider(user, application)


def can_record_registration(user: Any, application) -> bool:
    return application.status == _statuses().APPROVED and is_applicant(user, application)


def can_mark_paid(user: Any, application) -> bool:
    return application.status == _statuses().REGISTERED and is_decider(user, application)


def can_view_proof(user: Any, application) -> bool:
    return can_view_application(user, application)


def can_edit_registration(user: Any, registration) -> bool:
    me = technician_of(user)
    own = bool(me is not None and me.is_active and registration.technician_id == me.pk)
    return is_staff_member(user) and (own or is_hr(user))


def can_view_cpd_entry(user: Any, entry) -> bool:
    me = technician_of(user)
    own = bool(me is not None and entry.technician_id == me.pk)
    return is_staff_member(user) and (own or is_hr(user))


def can_delete_cpd_entry(user: Any, entry) -> bool:
    me = technician_of(user)
    return bool(is_staff_member(user) and me is not None and entry.technician_id == me.pk)


# Who may attempt each step of an application (the services also check the state).
STEP_ACTORS = {
    "submit": is_applicant,
    "withdraw": is_applicant,
    "record": is_applicant,
    "endorse": is_endorser,
    "send_back": is_endorser,
    "approve": is_decider,
    "reject": is_decider,
    "pay": is_decider,
}


def may_take_step(user: Any, application, step: str) -> bool:
    actor = STEP_ACTORS.get(step)
    return bool(actor and actor(user, application))


CHECKS = {
    "registration.use": can_use_registration,
    "registration.keep_records": can_keep_records,
    "registration.apply": can_apply,
    "registration.review": can_review,
    "registration.manage_funding": can_manage_funding,
    "registration.view_application": can_view_application,
    "registration.edit_application": can_edit_application,
    "registration.submit": can_submit,
    "registration.withdraw": can_withdraw,
    "registration.endorse": can_endorse,
    "registration.decide": can_decide,
    "registration.record_registration": can_record_registration,
    "registration.mark_paid": can_mark_paid,
    "registration.edit_registration": can_edit_registration,
}
