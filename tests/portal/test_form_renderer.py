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


@pytest.mark.parametrize(
    "widget, option_template, written",
    [
        (forms.Select, "django/forms/widgets/radio_option.html", "<label><input"),
        (forms.RadioSelect, "django/forms/widgets/select_option.html", "<option"),
    ],
)
def test_options_with_a_template_of_their_own_are_left_to_django(widget, option_template, written):
    class Fancy(widget):
        option_template_name = option_template

    django_html, portal_html = both(Fancy(choices=CHOICES), "a")
    assert portal_html == django_html
    assert written in portal_html


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


class KeptFile:
    """What a model's file field gives a form: a name and a URL."""

    def __init__(self, name: str) -> None:
        self.name, self.url = name, f"/files/{name}?x=1&y=<2>"

    def __str__(self) -> str:
        return self.name


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("checked", [True, False])
@pytest.mark.parametrize("value", [None, "", KeptFile("photo <1>.jpg")])
def test_file_inputs_are_djangos_markup_exactly(required, checked, value):
    widget = forms.ClearableFileInput(attrs={"id": "id_photo", "accept": "image/*"})
    widget.is_required, widget.checked = required, checked
    django_html, portal_html = both(widget, value)
    assert portal_html == django_html
    assert portal_html.endswith('accept="image/*">') or " checked" in portal_html
    plain_django, plain_portal = both(forms.FileInput(attrs={"required": True}), value)
    assert plain_portal == plain_django


def test_a_kept_file_offers_its_link_and_a_box_to_clear_it():
    widget = forms.ClearableFileInput()
    html = widget.render("photo", KeptFile("me.jpg"), renderer=PortalFormRenderer())
    assert '<a href="/files/me.jpg?x=1&amp;y=&lt;2&gt;">me.jpg</a>' in html
    assert '<input type="checkbox" name="photo-clear" id="photo-clear_id">' in html


@pytest.mark.parametrize("value", [None, "", "two\nlines & <b>", 0])
def test_text_areas_are_djangos_markup_exactly(value):
    django_html, portal_html = both(forms.Textarea(attrs={"id": "id_bio", "maxlength": 9}), value)
    assert portal_html == django_html


@pytest.mark.parametrize(
    "widget",
    [forms.RadioSelect, forms.CheckboxSelectMultiple],
    ids=["radio buttons", "boxes to tick"],
)
@pytest.mark.parametrize("attrs", [{}, {"id": "id_pick", "class": "a <b>", "required": True}])
@pytest.mark.parametrize("value", [None, "a", ["a", "2"], 3])
def test_radio_buttons_and_boxes_to_tick_are_djangos_markup_exactly(widget, attrs, value):
    django_html, portal_html = both(widget(choices=CHOICES, attrs=attrs), value)
    assert portal_html == django_html
    assert "&lt;Physics&gt;" in portal_html


def test_files_text_areas_and_sets_of_options_need_no_template():
    class NoTemplates(PortalFormRenderer):
        def get_template(self, template_name):
            raise AssertionError(f"{template_name} was asked for")

    renderer = NoTemplates()
    for widget, value in [
        (forms.ClearableFileInput(), KeptFile("a.pdf")),
        (forms.FileInput(), None),
        (forms.Textarea(), "hi"),
        (forms.RadioSelect(choices=CHOICES), "a"),
        (forms.CheckboxSelectMultiple(choices=CHOICES), ["a"]),
    ]:
        assert widget.render("x", value, renderer=renderer)
