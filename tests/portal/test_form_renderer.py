"""The portal's form renderer writes every list box in Python: the markup must be Django's,
character for character, and everything else must still go through Django's templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from portal.forms import PortalFormRenderer

CHOICES = [
    ("", "Any"),
    ("a", "Chemistry & <Physics>"),
    ("Faculty <of> Science", [("1", "NMR"), ("2", 'Say "hi"')]),
    (3, "Three"),
]
WIDGETS = {
    "select": lambda attrs: forms.Select(choices=CHOICES, attrs=attrs),
    "multiple": lambda attrs: forms.SelectMultiple(choices=CHOICES, attrs=attrs),
    "yes or no": lambda attrs: forms.NullBooleanSelect(attrs=attrs),
    "date parts": lambda attrs: forms.SelectDateWidget(years=[2025, 2026], attrs=attrs),
}
ATTRS = {"id": "id_pick", "required": True, "hidden": False, "data-x": '"><b>', "size": 4}


def both(widget, value):
    return (
        widget.render("pick", value, renderer=DjangoTemplates()),
        widget.render("pick", value, renderer=PortalFormRenderer()),
    )


@pytest.mark.parametrize("kind", WIDGETS)
@pytest.mark.parametrize("value", ["", "a", "2", 3, True, None])
def test_every_list_box_is_djangos_markup_exactly(kind, value):
    django_html, portal_html = both(WIDGETS[kind](ATTRS), value)
    assert portal_html == django_html


def test_a_multiple_choice_marks_every_chosen_option():
    django_html, portal_html = both(WIDGETS["multiple"](ATTRS), ["a", "2"])
    assert portal_html == django_html
    assert portal_html.count(" selected") == 2


def test_labels_values_and_attributes_are_escaped():
    widget = forms.Select(choices=[('"><script>', "<b>x</b>")], attrs={"title": "<i>"})
    html = widget.render("pick", None, renderer=PortalFormRenderer())
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_bound_form_marks_its_choice_and_uses_the_portal_renderer():
    class Pick(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES[1:])

    html = str(Pick({"pick": "2"})["pick"])
    assert '<option value="2" selected>' in html
    assert html.count(" selected") == 1


def test_options_with_a_template_of_their_own_are_left_to_django():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    django_html, portal_html = both(Fancy(choices=CHOICES), "a")
    assert portal_html == django_html
    assert "<label><input" in portal_html


def test_other_widgets_still_render_through_templates():
    django_html, portal_html = both(forms.TextInput(attrs={"required": True}), "x & y")
    assert portal_html == django_html


def test_error_lists_are_djangos_with_or_without_errors():
    class Pick(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES[1:])
        note = forms.CharField(max_length=3)

    def written(data, renderer):
        form = Pick(data, renderer=renderer)
        form.is_valid()
        return [str(form["pick"].errors), str(form["note"].errors), str(form.non_field_errors())]

    for data in ({"pick": "a", "note": "ok"}, {"pick": "nope", "note": "<too long>"}):
        assert written(data, PortalFormRenderer()) == written(data, DjangoTemplates())
    assert written({"pick": "a", "note": "ok"}, PortalFormRenderer()) == ["", "", ""]
    assert 'class="errorlist"' in written({"pick": "nope"}, PortalFormRenderer())[0]


INPUTS = {
    "text": forms.TextInput,
    "number": forms.NumberInput,
    "email": forms.EmailInput,
    "url": forms.URLInput,
    "password": lambda attrs: forms.PasswordInput(attrs=attrs, render_value=True),
    "hidden": forms.HiddenInput,
    "date": forms.DateInput,
    "datetime": forms.DateTimeInput,
    "time": forms.TimeInput,
    "search": forms.SearchInput,
    "tel": forms.TelInput,
    "color": forms.ColorInput,
    "checkbox": forms.CheckboxInput,
}


@pytest.mark.parametrize("kind", INPUTS)
@pytest.mark.parametrize("value", [None, "", "a <b> & 'c'", 0, 12.5, True, False])
def test_every_single_input_is_djangos_markup_exactly(kind, value):
    attrs = {"id": "id_x", "required": True, "disabled": False, "placeholder": '<"hi">'}
    django_html, portal_html = both(INPUTS[kind](attrs=attrs), value)
    assert portal_html == django_html
    assert portal_html.startswith("<input")
