"""portal.forms.LightSelect writes the same <select> as Django's own widget, without a template
per option: the directory's filters and the skills rows of "my profile" draw many of them."""

import pytest
from django import forms
from django.test.html import parse_html

from portal.forms import LightSelect

CHOICES = [
    ("", "Any"),
    ("a", "Chemistry & <Physics>"),
    ("Faculty", [("1", "NMR"), ("2", 'Say "hi"')]),
    (3, "Three"),
]


def both(value, attrs=None):
    return (
        forms.Select(choices=CHOICES, attrs=attrs).render("pick", value),
        LightSelect(choices=CHOICES, attrs=attrs).render("pick", value),
    )


@pytest.mark.parametrize("value", ["", "a", "2", 3, None])
def test_the_markup_is_djangos(value):
    django_select, light = both(value, attrs={"id": "id_pick", "required": True, "hidden": False})
    assert parse_html(light) == parse_html(django_select)


def test_labels_and_values_are_escaped():
    light = LightSelect(choices=[('"><script>', "<b>x</b>")]).render("pick", None)
    assert "<script>" not in light and "<b>" not in light
    assert "&lt;b&gt;x&lt;/b&gt;" in light


def test_the_chosen_option_is_selected_in_a_bound_form():
    class Pick(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES[1:], widget=LightSelect)

    html = str(Pick({"pick": "2"})["pick"])
    assert '<option value="2" selected>' in html
    assert html.count(" selected") == 1
