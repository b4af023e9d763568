"""The Commitment's forms: plain values, handed to commitment.services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from commitment.kpis import PILLARS
from portal import roles


def _people():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[roles.STEERING_GROUP, roles.HR])
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class CommitmentForm(forms.Form):
    signed_on = forms.DateField(label="Signed on", widget=forms.DateInput(attrs={"type": "date"}))
    announced_on = forms.DateField(
        label="Announced on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Stage 1 is due in the first window at least 12 months after this date.",
    )
    lead = PersonChoice(
        queryset=None, required=False, label="Named lead", help_text="Gets the reminders."
    )
    champion = forms.CharField(max_length=200, required=False, label="Champion")
    contact_email = forms.EmailField(required=False, label="Public contact address")
    chair = PersonChoice(
        queryset=None,
        required=False,
        label="Steering chair",
        help_text="Approves the annual report.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _people()
        self.fields["chair"].queryset = _people()


class PillarForm(forms.Form):
    reflection = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        label="Reflection",
    )
    voice = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
        label="Technician voice",
    )


class StrengthsForm(forms.Form):
    strengths = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Strengths"
    )


class AdviceForm(forms.Form):
    pillar = forms.ChoiceField(choices=PILLARS, label="Pillar")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Advice")


class AdviceActionForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=None, label="Plan")
    ref = forms.CharField(max_length=20, label="Reference")
    title = forms.CharField(max_length=300, required=False, label="Action title")
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        from actionplan.models import ActionPlan

        self.fields["plan"].queryset = ActionPlan.objects.filter(pk__in=[p.pk for p in plans])


class HighlightForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=200, label="Title")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Highlight")
