"""A prepared lookup compiles its queryset once, then gives exactly what the queryset gives:
the object, its related objects and its annotations, in one query."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Value
from django.db.models.sql.compiler import SQLCompiler

from portal.prepared import PreparedLookup
from technicians.models import Technician
from tests import factories

pytestmark = pytest.mark.django_db


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


def test_each_call_looks_up_its_own_value_with_sql_compiled_once(lookup, personas, monkeypatch):
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counted(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
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
