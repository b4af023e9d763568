"""Choices shared by many list boxes (portal.forms.SharedChoices) are put in canonical form
once, and draw exactly what the same plain list draws."""

from django import forms
from django.utils.choices import normalize_choices

from portal.forms import SharedChoices, SharedChoicesSelect

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


def test_a_shared_choices_select_draws_what_django_draws_with_its_options_written_once():
    twice = [*GROUPED, ("Other", [(2, "NMR again"), (None, "None inside a group")]), (None, "-")]
    plain = forms.Select(attrs={"class": "skill", "aria-describedby": "help"})
    plain.choices = twice
    shared_choices = SharedChoices(twice)
    rows = [SharedChoicesSelect(attrs={"class": "skill", "aria-describedby": "help"}) for _ in "ab"]
    for row in rows:
        row.choices = shared_choices
    # Nothing, the empty choice, a value in a group, one listed twice (the first is chosen),
    # one not listed, and the text of a number.
    for value in (None, "", 1, 2, "3", 99, [2]):
        expected = plain.render("form-0-skill", value, attrs={"id": "id_form-0-skill"})
        for row in rows:
            assert row.render("form-0-skill", value, attrs={"id": "id_form-0-skill"}) == expected
    assert shared_choices._options is not None  # written once, for every box


def test_a_shared_choices_select_of_other_choices_is_djangos_select():
    widget = SharedChoicesSelect()
    widget.choices = [("a", "A <b>"), ("b", "B")]
    plain = forms.Select(choices=[("a", "A <b>"), ("b", "B")])
    assert widget.render("letter", "b") == plain.render("letter", "b")
    assert "selected>B</option>" in widget.render("letter", "b")


def test_every_form_built_shares_the_options_rather_than_copying_them():
    import django_filters
    from django.contrib.auth.models import Group

    shared = SharedChoices(GROUPED)

    class SkillForm(forms.Form):
        skill = forms.ChoiceField(choices=shared)

    class SkillFilter(django_filters.FilterSet):
        skill = django_filters.ChoiceFilter(choices=shared, empty_label="Any skill")

        class Meta:
            model = Group
            fields = ["skill"]

    first, second = SkillForm(), SkillForm({"skill": "2"})
    assert first.fields["skill"].choices is shared is second.fields["skill"].choices
    assert second.is_valid() and second.cleaned_data["skill"] == "2"
    # django-filter's field adds its empty choice around the shared options, without copying.
    filtered = SkillFilter({"skill": "3"}, queryset=Group.objects.none())
    assert filtered.form.fields["skill"].choices.choices is shared
    assert list(filtered.form.fields["skill"].choices)[:2] == [
        ("", "Any skill"),
        ("", "Choose a skill"),
    ]
    assert filtered.form.is_valid()
