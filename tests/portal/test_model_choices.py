"""List boxes of model rows read their choices with one plain query (PortalConfig.ready sets
portal.forms.ListedModelChoiceIterator on Django's and django-filter's model choice fields):
the same choices as Django's, never through a server-side cursor."""

import django_filters
import pytest
from django import forms
from django.db import connection
from django.forms.models import ModelChoiceIterator

from technicians.models import Department, Technician
from tests import factories

pytestmark = pytest.mark.django_db


class DepartmentForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.order_by("name"))
    several = forms.ModelMultipleChoiceField(queryset=Department.objects.order_by("name"))


class DepartmentFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.order_by("name"), null_label="No department"
    )

    class Meta:
        model = Technician
        fields = ["department"]


@pytest.fixture
def departments(db):
    return [factories.DepartmentFactory(name=name) for name in ("Physics", "Chemistry", "Art")]


def plain(choices):
    return [(str(value), str(label)) for value, label in choices]


def test_the_choices_are_djangos(departments):
    field = DepartmentForm().fields["department"]
    assert plain(field.choices) == plain(ModelChoiceIterator(field))
    assert [label for _value, label in plain(field.choices)] == [
        "---------",
        "Art",
        "Chemistry",
        "Physics",
    ]
    assert plain(DepartmentForm().fields["several"].choices) == plain(
        ModelChoiceIterator(DepartmentForm().fields["several"])
    )


def test_a_filters_null_choice_comes_after_the_empty_one(departments):
    field = DepartmentFilter().form.fields["department"]
    assert [label for _value, label in plain(field.choices)] == [
        "---------",
        "No department",
        "Art",
        "Chemistry",
        "Physics",
    ]


def test_a_chosen_row_is_marked_selected_and_validated(departments):
    art = departments[2]
    form = DepartmentForm({"department": art.pk, "several": [art.pk]})
    assert f'<option value="{art.pk}" selected>Art</option>' in str(form["department"])
    assert form.is_valid()
    assert form.cleaned_data["department"] == art


def test_no_server_side_cursor_is_opened(departments, monkeypatch):
    opened = []
    real = connection.chunked_cursor
    monkeypatch.setattr(connection, "chunked_cursor", lambda: opened.append(1) or real())
    html = str(DepartmentForm()["department"]) + str(DepartmentFilter().form["department"])
    assert html.count("Chemistry") == 2
    assert opened == []


def test_a_form_class_never_keeps_the_rows_it_listed(departments):
    base = DepartmentForm.base_fields["department"]
    list(base.choices)
    assert base.queryset._result_cache is None
    factories.DepartmentFactory(name="Biology")
    assert "Biology" in str(DepartmentForm()["department"])
