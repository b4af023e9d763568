"""Two awards at once racing for the last money in a call's pot: the call's row is locked, so
exactly one goes through (PostgreSQL, real threads)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal import roles
from recognition import services
from recognition.models import FundApplication
from tests.conftest import make_user
from tests.recognition.conftest import S, make_call, values

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _award_at_once(triples):
    """Award each (application, user, amount) in its own thread, all released together."""
    barrier = threading.Barrier(len(triples))
    outcomes = []

    def award(application, user, amount):
        try:
            barrier.wait(timeout=10)
            services.award_fund_application(application, by=user, amount=amount)
            outcomes.append("awarded")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # reported by the assertions below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=triple) for triple in triples]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _closed_call_with(personas, count, *, pot):
    today = datetime.date.today()
    call = make_call(
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=1),
        pot=pot,
        coordinator=personas.hr,
    )
    applications = []
    for _ in range(count):
        applications.append(
            FundApplication.objects.create(
                call=call,
                applicant=personas.technician_profile,
                **dict(values(activity_starts_on=today + datetime.timedelta(days=40)).items()),
                status=S.SUBMITTED,
            )
        )
    return call, applications


def test_two_awards_for_the_last_money_award_exactly_one(personas):
    call, (first, second) = _closed_call_with(personas, 2, pot="800.00")
    other_hr = make_user("hollis.hr@example.ac.uk", roles.HR)
    outcomes = _award_at_once(
        [(first, personas.hr, Decimal("500.00")), (second, other_hr, Decimal("500.00"))]
    )
    assert outcomes.count("awarded") == 1, outcomes
    refusal = next(o for o in outcomes if o != "awarded")
    assert "over its pot: £300.00 of £800.00 is left" in refusal
    assert FundApplication.objects.filter(status=S.AWARDED).count() == 1
    assert services.remaining_pot(call) == Decimal("300.00")


def test_many_awards_at_once_never_pass_the_pot(personas):
    call, applications = _closed_call_with(personas, 6, pot="1000.00")
    outcomes = _award_at_once([(a, personas.hr, Decimal("300.00")) for a in applications])
    assert outcomes.count("awarded") == 3, outcomes
    assert services.remaining_pot(call) == Decimal("100.00")
