"""The registration funding budget: each financial year's figures (budget, committed, spent,
remaining), the budget HR sets (never below what is committed and spent), and the registers'
fees."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from portal.periods import financial_year_label, format_money
from portal.prepared import PreparedQuery
from registration import permissions
from registration.models import FundingApplication, FundingBudget, Register
from registration.services.messages import CENTS, S

# HR's dashboard and review page show this year's figures at every visit: compiled once
# (portal.prepared).
_BUDGET = PreparedQuery(
    lambda year: FundingBudget.objects.filter(financial_year=year).values_list("amount", flat=True)
)
_FUNDED = PreparedQuery(
    lambda year: (
        FundingApplication.objects.filter(financial_year=year, status__in=FundingApplication.FUNDED)
        .values_list("status")
        .annotate(total=Sum("amount_requested"))
        .order_by()
    )
)


def year_figures(year: int) -> dict[str, Decimal | None]:
    """Budget, committed (approved, not paid), spent (paid) and remaining for `year`."""
    budget_amount = next(iter(_BUDGET.list(year=year)), None)
    sums = {
        status: Decimal(total or 0).quantize(CENTS) for status, total in _FUNDED.list(year=year)
    }
    committed = sums.get(S.APPROVED, Decimal(0)) + sums.get(S.REGISTERED, Decimal(0))
    spent = sums.get(S.PAID, Decimal(0))
    committed, spent = committed.quantize(CENTS), spent.quantize(CENTS)
    remaining = None if budget_amount is None else budget_amount - committed - spent
    return {
        "year": year,
        "label": financial_year_label(year),
        "budget": budget_amount,
        "committed": committed,
        "spent": spent,
        "remaining": remaining,
    }


@transaction.atomic
def set_budget(*, by, financial_year: int, amount: Decimal) -> FundingBudget:
    """Set (or change) a year's budget; it may not go below what is already approved or paid."""
    if not permissions.can_manage_funding(by):
        raise PermissionDenied("Only HR can set the registration funding budget.")
    budget, _ = FundingBudget.objects.select_for_update().get_or_create(
        financial_year=financial_year, defaults={"amount": amount}
    )
    figures = year_figures(financial_year)
    used = figures["committed"] + figures["spent"]
    if amount < used:
        raise ValidationError(
            {
                "amount": [
                    f"{format_money(used)} is already approved or paid in "
                    f"{financial_year_label(financial_year)}: the budget cannot be less than that."
                ]
            }
        )
    budget.amount = amount
    budget.full_clean()
    budget.save()
    return budget


@transaction.atomic
def update_register_fees(
    register: Register, *, by, application_fee: Decimal, annual_fee: Decimal, fee_note: str = ""
) -> Register:
    """HR keeps the fees up to date. Applications keep the fees of the day they were made."""
    if not permissions.can_manage_funding(by):
        raise PermissionDenied("Only HR can change the registers' fees.")
    locked = Register.objects.select_for_update().get(pk=register.pk)
    locked.application_fee = application_fee
    locked.annual_fee = annual_fee
    locked.fee_note = (fee_note or "").strip()
    locked.full_clean()
    locked.save()
    return locked
