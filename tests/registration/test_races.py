"""Two HR users approving at once cannot overspend: the budget row is locked (PostgreSQL, real
threads)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from registration import services
from registration.models import FundingApplication, FundingBudget
from tests.conftest import make_user
from tests.registration.conftest import S

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _approve_at_once(pairs):
    """Approve each (application, hr user) in its own thread, all released together."""
    barrier = threading.Barrier(len(pairs))
    outcomes = []

    def approve(application, user):
        try:
            barrier.wait(timeout=10)
            services.approve_application(application, by=user)
            outcomes.append("approved")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()  # the thread's own connection, or teardown cannot drop the db

    threads = [threading.Thread(target=approve, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_approvals_for_the_last_funds_approve_exactly_one(personas, make_application, budget):
    from portal import roles

    # Both applications cost £58; £100 is left, so only one fits.
    budget.amount = Decimal("100.00")
    budget.save()
    first = make_application(S.ENDORSED, register="RSciTech")
    second = make_application(S.ENDORSED, register="RSciTech")
    other_hr = make_user("hollis.hr@example.ac.uk", roles.HR)

    outcomes = _approve_at_once([(first, personas.hr), (second, other_hr)])

    assert sorted(outcomes, key=lambda o: o != "approved")[0] == "approved"
    assert outcomes.count("approved") == 1, outcomes
    refusal = next(o for o in outcomes if o != "approved")
    assert "over budget" in refusal
    approved = FundingApplication.objects.filter(status=S.APPROVED)
    assert approved.count() == 1
    figures = services.year_figures(budget.financial_year)
    assert figures["committed"] == Decimal("58.00")
    assert figures["remaining"] == Decimal("42.00")
    assert FundingBudget.objects.get(pk=budget.pk).amount == Decimal("100.00")


def test_many_approvals_at_once_never_pass_the_budget(personas, make_application, budget):
    budget.amount = Decimal("200.00")  # room for three £58 approvals
    budget.save()
    applications = [make_application(S.ENDORSED, register="RSciTech") for _ in range(6)]
    outcomes = _approve_at_once([(application, personas.hr) for application in applications])
    assert outcomes.count("approved") == 3, outcomes
    assert services.year_figures(budget.financial_year)["remaining"] == Decimal("26.00")
