"""Every change to registrations, CPD entries, funding applications and budgets goes through a
function here: the views, the admin, the import and the demo data call these. Split by job:
`applications` (the funding workflow), `budgets` (budgets, year figures and register fees),
`records` (registrations and CPD) and `messages` (states and sentences). Every public name
is importable from `registration.services`, as callers and DESIGN.md name them.

A refusal raises ValidationError (wrong state, over budget, bad values) or PermissionDenied
(wrong person) with a sentence for the user, and changes nothing.
"""

from registration.services.applications import (
    APPLICATION_RELATED,
    approve_application,
    create_application,
    endorse_application,
    endorsers,
    hr_users,
    mark_paid,
    record_registration,
    reject_application,
    send_back_application,
    submit_application,
    update_application,
    withdraw_application,
)
from registration.services.budgets import set_budget, update_register_fees, year_figures
from registration.services.messages import (
    AMOUNT_REASON_REQUIRED,
    BODY_CANNOT_AWARD,
    CENTS,
    CHANGES_REQUIRED,
    FROM_STATES,
    NO_BUDGET,
    NO_RECORDS,
    NOT_APPLICANT,
    NOT_ENDORSER,
    NOT_HR,
    NOTE_REQUIRED,
    OVER_BUDGET,
    OWN_APPLICATION,
    REFERENCE_REQUIRED,
    WRONG_STATE,
    S,
)
from registration.services.records import (
    REGISTRATION_FIELDS,
    add_cpd_entry,
    delete_cpd_entry,
    delete_registration,
    format_day,
    save_registration,
)

__all__ = [
    "AMOUNT_REASON_REQUIRED",
    "APPLICATION_RELATED",
    "BODY_CANNOT_AWARD",
    "CENTS",
    "CHANGES_REQUIRED",
    "FROM_STATES",
    "NOTE_REQUIRED",
    "NOT_APPLICANT",
    "NOT_ENDORSER",
    "NOT_HR",
    "NO_BUDGET",
    "NO_RECORDS",
    "OVER_BUDGET",
    "OWN_APPLICATION",
    "REFERENCE_REQUIRED",
    "REGISTRATION_FIELDS",
    "S",
    "WRONG_STATE",
    "add_cpd_entry",
    "approve_application",
    "create_application",
    "delete_cpd_entry",
    "delete_registration",
    "endorse_application",
    "endorsers",
    "format_day",
    "hr_users",
    "mark_paid",
    "record_registration",
    "reject_application",
    "save_registration",
    "send_back_application",
    "set_budget",
    "submit_application",
    "update_application",
    "update_register_fees",
    "withdraw_application",
    "year_figures",
]
