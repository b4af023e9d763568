"""A prepared lookup compiles its queryset once, then gives exactly what the queryset gives:
the object, its related objects and its annotations, in one query."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Value
from django.utils import timezone

from portal.prepared import PreparedLookup, PreparedQuery, with_known
from technicians.models import Technician
from tests import factories

pytestmark = pytest.mark.django_db
YEAR = datetime.timedelta(days=365)


def users_with_profiles(value):
    return (
        get_user_model()
        .objects.select_related("technician__department")
        .annotate(group_count=Count("groups"), label=Value("a label"))
        .filter(pk=value)
    )


@pytest.fixture
def lookup():
    return PreparedLookup(users_with_profiles)


def test_it_gives_what_the_queryset_gives(lookup, personas, django_assert_num_queries):
    expected = users_with_profiles(personas.technician.pk).get()
    with django_assert_num_queries(1):
        found = lookup.get(personas.technician.pk)
        # The related objects came with it, as select_related brings them.
        assert found.technician.department.name == expected.technician.department.name
        assert found.technician.line_manager_id == personas.manager_profile.pk
    assert type(found) is type(expected)
    assert found.__dict__.keys() >= {"group_count", "label"}
    for name in ("pk", "username", "email", "date_joined", "is_active", "password"):
        assert getattr(found, name) == getattr(expected, name)
    assert (found.group_count, found.label) == (expected.group_count, "a label")
    technician_fields = [field.attname for field in Technician._meta.concrete_fields]
    for name in technician_fields:
        assert getattr(found.technician, name) == getattr(expected.technician, name), name
    assert found._state.db == expected._state.db and not found._state.adding


def test_each_call_looks_up_its_own_value_with_sql_compiled_once(lookup, personas, compiled):
    assert lookup.get(personas.technician.pk).pk == personas.technician.pk
    assert lookup.get(personas.hr.pk).pk == personas.hr.pk
    assert lookup.get(personas.manager.pk).technician == personas.manager_profile
    assert len(compiled) == 1


def test_nothing_found_is_none_and_a_missing_relation_is_as_the_orm_says(lookup, personas):
    assert lookup.get(10**9) is None
    hr = lookup.get(personas.hr.pk)  # HR's account has no technician
    with pytest.raises(Technician.DoesNotExist):
        hr.technician  # noqa: B018 (the access is the test)


def test_a_write_after_the_first_lookup_is_seen(lookup, personas):
    assert lookup.get(personas.technician.pk).technician.first_name == "Alex"
    Technician.objects.filter(pk=personas.technician_profile.pk).update(first_name="Alexa")
    assert lookup.get(personas.technician.pk).technician.first_name == "Alexa"


def test_a_queryset_must_use_its_value_once():
    user = factories.UserFactory()
    twice = PreparedLookup(lambda value: get_user_model().objects.filter(pk=value, id=value))
    with pytest.raises(ValueError, match="exactly once"):
        twice.get(user.pk)


# --- PreparedQuery: several values, many rows ----------------------------------------------


def started_between(department, first, last):
    return (
        Technician.objects.filter(department_id=department, started_on__gte=first)
        .filter(started_on__lte=last)
        .select_related("department")
        .annotate(skill_count=Count("technician_skills"))
        .order_by("started_on", "pk")
    )


@pytest.fixture
def starters():
    """Two departments' technicians, started on the days around a window's two ends."""
    chemistry, physics = factories.DepartmentFactory(), factories.DepartmentFactory()
    days = [datetime.date(2026, 1, day) for day in (9, 10, 11, 19, 20, 21)]
    people = {
        department: [
            factories.TechnicianFactory(department=department, started_on=day) for day in days
        ]
        for department in (chemistry, physics)
    }
    factories.TechnicianSkillFactory(technician=people[chemistry][1])
    return SimpleNamespace(chemistry=chemistry, physics=physics, people=people)


def test_a_prepared_query_gives_what_its_queryset_gives(starters, django_assert_num_queries):
    prepared = PreparedQuery(started_between)
    window = {"first": datetime.date(2026, 1, 10), "last": datetime.date(2026, 1, 20)}
    expected = list(started_between(starters.chemistry.pk, **window))
    with django_assert_num_queries(1):
        found = prepared.list(department=starters.chemistry.pk, **window)
        assert {person.department.name for person in found} == {starters.chemistry.name}
    # The window's two ends are in, the days beyond them out, as the queryset has it.
    assert [person.pk for person in found] == [person.pk for person in expected]
    assert [person.started_on.day for person in found] == [10, 11, 19, 20]
    assert [person.skill_count for person in found] == [1, 0, 0, 0]
    for person, same in zip(found, expected, strict=True):
        for field in Technician._meta.concrete_fields:
            assert getattr(person, field.attname) == getattr(same, field.attname), field.name


def test_each_call_runs_its_own_values_with_sql_compiled_once(starters, compiled):
    prepared = PreparedQuery(started_between)
    january = {"first": datetime.date(2026, 1, 1), "last": datetime.date(2026, 1, 31)}
    assert len(prepared.list(department=starters.chemistry.pk, **january)) == 6
    physics = prepared.list(
        department=starters.physics.pk,
        first=datetime.date(2026, 1, 21),
        last=datetime.date(2026, 2, 1),
    )
    assert [person.pk for person in physics] == [starters.people[starters.physics][-1].pk]
    assert prepared.list(department=10**9, **january) == []
    assert len(compiled) == 1


def test_values_values_lists_datetimes_and_prefetches_come_as_the_queryset_gives_them(starters):
    joined_before = PreparedQuery(
        lambda department, moment: (
            Technician.objects.filter(department_id=department, created__lt=moment)
            .order_by("pk")
            .values_list("pk", "started_on")
        )
    )
    moment = timezone.now() + datetime.timedelta(minutes=1)
    rows = joined_before.list(department=starters.physics.pk, moment=moment)
    assert rows == list(
        Technician.objects.filter(department=starters.physics)
        .order_by("pk")
        .values_list("pk", "started_on")
    )
    assert joined_before.list(department=starters.physics.pk, moment=moment - YEAR) == []

    as_dicts = PreparedQuery(
        lambda name: (
            Technician.objects.filter(department__name=name)
            .order_by("pk")
            .values("pk", "department__slug")
        )
    )
    assert as_dicts.list(name=starters.chemistry.name)[0] == {
        "pk": starters.people[starters.chemistry][0].pk,
        "department__slug": starters.chemistry.slug,
    }

    with_skills = PreparedQuery(
        lambda department: (
            Technician.objects.filter(department_id=department)
            .prefetch_related("technician_skills__skill")
            .order_by("pk")
        )
    )
    people = with_skills.list(department=starters.chemistry.pk)
    assert [len(person.technician_skills.all()) for person in people] == [0, 1, 0, 0, 0, 0]


def test_a_value_the_sql_holds_changed_is_refused_on_postgresql(starters):
    by_name = PreparedQuery(lambda name: Technician.objects.filter(first_name=name + "son"))
    if connection.vendor == "postgresql":
        with pytest.raises(ValueError, match="as it is given: name"):
            by_name.list(name="Ander")
    else:  # elsewhere the queryset runs as it is
        assert by_name.list(name="zzz") == []


def test_a_value_in_a_pattern_lookup_is_matched_as_the_queryset_matches_it(compiled):
    """`contains`, `startswith` and `endswith` (and their `i…` forms) make the value a
    pattern: each new value is written into it as the ORM writes it, its `%` and `_` taken
    literally."""
    names = ["Anna", "Hannah", "Johanna", "Ann_a", "Bob%"]
    for name in names:
        factories.TechnicianFactory(first_name=name)
    by_pattern = PreparedQuery(
        lambda inside, start, end: Technician.objects.filter(
            first_name__icontains=inside,
            first_name__startswith=start,
            first_name__iendswith=end,
        )
    )

    def first_names(**values):
        return sorted(person.first_name for person in by_pattern.list(**values))

    def as_the_orm_finds(inside, start, end):
        found = Technician.objects.filter(
            first_name__icontains=inside, first_name__startswith=start, first_name__iendswith=end
        )
        return sorted(person.first_name for person in found)

    also = [("a", "J", "na"), ("x", "", ""), ("", "", "")]
    expected = [as_the_orm_finds(*values) for values in also]
    compiled_before = len(compiled)
    assert first_names(inside="ann", start="H", end="AH") == ["Hannah"]
    assert first_names(inside="NN", start="", end="a") == ["Ann_a", "Anna", "Johanna"]
    assert first_names(inside="_", start="A", end="") == ["Ann_a"]
    assert first_names(inside="%", start="", end="") == ["Bob%"]
    for (inside, start, end), names_found in zip(also, expected, strict=True):
        assert first_names(inside=inside, start=start, end=end) == names_found
    if connection.vendor == "postgresql":
        assert len(compiled) == compiled_before + 1  # compiled once, for the first call


def test_values_of_a_kind_it_cannot_stand_in_for_are_refused():
    by_status = PreparedQuery(lambda active: Technician.objects.filter(is_active=active))
    with pytest.raises(TypeError, match="not <class 'bool'>"):
        by_status.list(active=True)
    with pytest.raises(TypeError, match="not <class 'NoneType'>"):
        by_status.list(active=None)


def test_a_value_for_a_small_integer_column_is_looked_up_as_the_queryset_does():
    """The ORM finds nothing for a value beyond a column's range, so a small-integer column
    (a financial year) is compiled with a stand-in that fits it."""
    from registration.models import FundingBudget

    FundingBudget.objects.create(financial_year=2025, amount=1000)
    FundingBudget.objects.create(financial_year=2026, amount=2500)
    by_year = PreparedQuery(
        lambda year: FundingBudget.objects.filter(financial_year=year).values_list("amount")
    )
    assert by_year.list(year=2026) == [(2500,)]
    assert by_year.list(year=2025) == [(1000,)]
    assert by_year.list(year=2027) == []


def test_a_key_beyond_32_bits_is_not_found_as_the_orm_says(lookup, starters):
    """A made-up URL's number: "not found", never the database's error for a value its
    column cannot hold."""
    for key in (2**31, 2**40, 10**30, -(2**31) - 1):
        assert lookup.get(key) is None
    prepared = PreparedQuery(started_between)
    window = {"first": datetime.date(2026, 1, 1), "last": datetime.date(2026, 1, 31)}
    for key in (2**31, 2**40):  # the ORM's answer (beyond 64 bits, SQLite's is an error)
        assert prepared.list(department=key, **window) == []
    assert len(prepared.list(department=starters.chemistry.pk, **window)) == 6


def test_rows_read_by_a_key_know_their_owner_without_a_query(starters, django_assert_num_queries):
    chemistry = starters.chemistry
    prepared = PreparedQuery(
        lambda department: Technician.objects.filter(department_id=department).order_by("pk")
    )
    people = with_known(prepared.list(department=chemistry.pk), department=chemistry)
    with django_assert_num_queries(0):
        assert {person.department for person in people} == {chemistry}
        assert all(person.department is chemistry for person in people)


def test_a_fixed_value_is_written_into_the_sql_and_finds_what_the_value_finds(starters):
    """`Fixed`: a value of the code in the query's text (its statistics count when PostgreSQL
    plans a prepared statement once), finding the rows the value sent apart finds."""
    from portal.prepared import Fixed

    Technician.objects.filter(pk=starters.people[starters.chemistry][0].pk).update(
        visibility=Technician.Visibility.PRIVATE
    )
    fixed = Technician.objects.filter(visibility=Fixed(Technician.Visibility.PRIVATE))
    sql, params = fixed.query.sql_with_params()
    assert "'private'" in sql and "private" not in [str(param) for param in params]
    assert list(fixed) == list(Technician.objects.filter(visibility="private"))
    assert len(list(fixed)) == 1
    prepared = PreparedQuery(
        lambda department: Technician.objects.filter(
            department_id=department, visibility=Fixed(Technician.Visibility.PRIVATE)
        )
    )
    assert len(prepared.list(department=starters.chemistry.pk)) == 1
    assert prepared.list(department=starters.physics.pk) == []


@pytest.mark.parametrize("value", ["x' OR '1'='1", "two words", "", 7])
def test_only_a_plain_word_of_the_code_is_fixed_into_the_sql(value):
    from portal.prepared import Fixed

    with pytest.raises(ValueError, match="Only a plain word"):
        list(Technician.objects.filter(visibility=Fixed(value)))
