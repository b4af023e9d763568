"""Every kind of form field, bound or not, valid or not: what the tests of the field tags
({% form_field %}, {% search_field %}) compare with the templates those tags replaced."""

from django import forms
from django.utils.safestring import mark_safe


class EveryKind(forms.Form):
    name = forms.CharField(label="Name & title <b>", help_text="Your <i>full</i> name.")
    notes = forms.CharField(required=False, widget=forms.Textarea)
    count = forms.IntegerField(min_value=1, help_text=mark_safe("At least <em>one</em>."))
    agree = forms.BooleanField(required=False, label="I agree")
    colour = forms.ChoiceField(choices=[("", "Choose"), ("r", "Red & rose"), ("g", "Green")])
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    upload = forms.FileField(required=False, help_text="A PDF, at most 10 MB.")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        self.add_error(None, "Something about the whole form.")
        self.add_error("name", "A second <problem> with the name.")
        return self.cleaned_data


FORMS = [
    EveryKind(),
    EveryKind({"name": "", "count": "0", "colour": "x", "when": "not a date"}),
    EveryKind({"name": "Ada", "count": "3", "colour": "r", "agree": "on"}),
    EveryKind(auto_id=False),
    EveryKind(prefix="row-2", initial={"name": "Grace"}),
]


def fields():
    for form in FORMS:
        form.is_bound and form.is_valid()
        yield from form
