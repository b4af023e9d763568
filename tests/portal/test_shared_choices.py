"""Choices shared by many list boxes (portal.forms.SharedChoices) are put in canonical form
once, and draw exactly what the same plain list draws."""

from django import forms
from django.utils.choices import normalize_choices

from portal.forms import SharedChoices

GROUPED = [
    ("", "Choose a skill"),
    ("Analytical", [(1, "HPLC"), (2, "NMR spectroscopy")]),
    ("Workshop", [(3, "Welding <TIG>")]),
]


def test_a_widget_keeps_the_shared_choices_as_they_are():
    shared = SharedChoices(GROUPED)
    widget = forms.Select()
    widget.choices = shared
    assert widget.choices is shared  # not walked again for this widget
    assert normalize_choices(shared) is shared


def test_they_draw_what_the_plain_list_draws():
    plain, shared = forms.Select(), forms.Select()
    plain.choices = GROUPED
    shared.choices = SharedChoices(GROUPED)
    for value in ("", 2, 3):
        assert shared.render("skill", value) == plain.render("skill", value)
    assert "<optgroup" in shared.render("skill", 2)
    assert len(SharedChoices(GROUPED)) == 3
