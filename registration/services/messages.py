"""The funding workflow's states and the sentences its refusals say.

Each transition names the states it may start from (FROM_STATES) and the sentence that
refuses any other (WRONG_STATE)."""

from __future__ import annotations

from decimal import Decimal

from registration.models import FundingApplication

S = FundingApplication.Status
CENTS = Decimal("0.01")

FROM_STATES: dict[str, tuple[str, ...]] = {
    "submit": (S.DRAFT,),
    "endorse": (S.SUBMITTED,),
    "send_back": (S.SUBMITTED,),
    "approve": (S.ENDORSED,),
    "reject": (S.ENDORSED,),
    "withdraw": (S.DRAFT, S.SUBMITTED, S.ENDORSED),
    "record_registration": (S.APPROVED,),
    "mark_paid": (S.REGISTERED,),
}

WRONG_STATE = {
    "submit": "Only a draft can be submitted; this application is {status}.",
    "endorse": "Only a submitted application can be endorsed; this one is {status}.",
    "send_back": "Only a submitted application can be sent back; this one is {status}.",
    "approve": "Only an endorsed application can be approved; this one is {status}.",
    "reject": "Only an endorsed application can be rejected; this one is {status}.",
    "withdraw": "An application can be withdrawn only before a decision; this one is {status}.",
    "record_registration": "Proof of registration is recorded once an application is approved; "
    "this one is {status}.",
    "mark_paid": "Only an application with proof of registration can be marked paid; this one "
    "is {status}.",
}

NOT_APPLICANT = "Only the applicant can do this."
NOT_ENDORSER = "Only the applicant's line manager can endorse this application."
NOT_HR = "Only HR can decide on applications and record payments."
OWN_APPLICATION = "You cannot decide on or pay your own application: another member of HR must."
NO_RECORDS = "Only technicians on the staff list can keep registrations and apply for funding."
NOTE_REQUIRED = "Please write a note saying why."
CHANGES_REQUIRED = "Please say what the applicant should change."
REFERENCE_REQUIRED = "Please give the payment reference."
NO_BUDGET = "No budget is set for {year}: set one on the budget page before approving."
OVER_BUDGET = "Approving {amount} would take {year} over budget: {remaining} of {budget} is left."
AMOUNT_REASON_REQUIRED = (
    "The amount differs from the application fee plus the first year's fee ({standard}): "
    "please give a reason."
)
BODY_CANNOT_AWARD = "{body} does not award {register}: choose a body that does."
