"""Reads of the plan pages and the steering group's panel compiled once (portal.prepared):
a plan by its key, and the accounts the panel names, by a query for each number of accounts,
give what the querysets give."""

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404

from actionplan import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def accounts(count: int) -> list:
    return [factories.UserFactory(first_name=f"Owner {index}") for index in range(count)]


def test_each_account_comes_with_its_profile_in_one_query(personas, django_assert_num_queries):
    with_profile, without = personas.technician, personas.hr
    with django_assert_num_queries(1):
        found = selectors.accounts_by_pk([without.pk, with_profile.pk, with_profile.pk])
        assert set(found) == {with_profile.pk, without.pk}
        assert found[with_profile.pk].technician == personas.technician_profile
        assert getattr(found[without.pk], "technician", None) is None


def test_other_accounts_of_the_same_number_reuse_the_compiled_query(db):
    people = accounts(6)
    first = selectors.accounts_by_pk([person.pk for person in people[:3]])
    compiled = dict(selectors._ACCOUNTS_BY_COUNT)
    second = selectors.accounts_by_pk([person.pk for person in people[3:]])
    assert compiled == selectors._ACCOUNTS_BY_COUNT  # nothing compiled anew for three more
    assert {pk: user.first_name for pk, user in {**first, **second}.items()} == {
        person.pk: person.first_name for person in people
    }


def test_many_accounts_and_none(db):
    people = accounts(selectors._MOST_ACCOUNTS_PREPARED + 1)
    found = selectors.accounts_by_pk(person.pk for person in people)
    assert set(found) == {person.pk for person in people}
    assert selectors.accounts_by_pk([]) == {}
    assert selectors.accounts_by_pk([10**9]) == {}
    assert get_user_model().objects.count() >= len(people)


def test_a_plan_is_read_by_its_key_and_a_missing_one_is_not_found(plan):
    assert selectors.plan_by_pk(plan.pk) == plan
    assert selectors.plan_by_pk(plan.pk).title == plan.title
    missing = plan.pk
    plan.delete()
    with pytest.raises(Http404):
        selectors.plan_by_pk(missing)
    with pytest.raises(Http404):
        selectors.plan_by_pk(10**12)  # beyond any key
