"""The forms of careers: they read and check input; the services decide."""

from __future__ import annotations

from django import forms

from careers.models import (
    Band,
    CareerArea,
    MentoringApplication,
    MentoringEvaluation,
    MentoringMeeting,
    MentoringRound,
    MentoringScheme,
    Pathway,
)
from skills.models import Skill
from technicians.models import Technician
from technicians.pickers import TechnicianField

LEVELS = [(1, "1 – aware"), (2, "2 – practitioner"), (3, "3 – expert"), (4, "4 – can train others")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class PathwayForm(forms.ModelForm):
    role_families = forms.MultipleChoiceField(
        choices=Technician.RoleFamily.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Technicians of these role families follow this pathway by default.",
    )

    class Meta:
        model = Pathway
        fields = ["name", "description", "role_families", "order"]


class BandForm(forms.ModelForm):
    grades = forms.CharField(
        required=False, help_text="The HR grades of this band, separated by semicolons: 5; 6"
    )

    class Meta:
        model = Band
        fields = [
            "order",
            "name",
            "outline",
            "grades",
            "training_days",
            "register",
            "years_experience",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["grades"] = "; ".join(self.instance.grades or [])
        self.fields["register"].label = "registration at this level or above"

    def clean_grades(self) -> list[str]:
        text = self.cleaned_data.get("grades") or ""
        return [g.strip() for g in text.replace(",", ";").split(";") if g.strip()]


class BandSkillForm(forms.Form):
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("name"), required=False, label="a named skill"
    )
    category = forms.ChoiceField(required=False, label="or any skills of a category")
    count = forms.IntegerField(
        min_value=1, max_value=20, initial=1, label="how many skills of the category"
    )
    level = forms.TypedChoiceField(choices=LEVELS, coerce=int, label="at level")

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c, c) for c in categories]


class OverrideForm(forms.Form):
    band = forms.ModelChoiceField(
        queryset=Band.objects.select_related("pathway").order_by("pathway__name", "order"),
        empty_label=None,
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class StatementForm(forms.Form):
    text = forms.CharField(
        label="My statement",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=6000,
        help_text="Why you are ready for the next band, in your own words. It opens your "
        "evidence pack.",
    )


class SchemeForm(forms.ModelForm):
    class Meta:
        model = MentoringScheme
        fields = ["name", "description"]


class RoundForm(forms.ModelForm):
    class Meta:
        model = MentoringRound
        fields = [
            "name",
            "applications_open_on",
            "applications_close_on",
            "matching_on",
            "months",
            "max_grade_gap",
        ]
        widgets = {
            "applications_open_on": DateInput,
            "applications_close_on": DateInput,
            "matching_on": DateInput,
        }
        labels = {"months": "pairing length in months"}


class ApplicationForm(forms.ModelForm):
    topics_offered = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.order_by("name"),
        required=False,
        label="Skills I can offer (as a mentor)",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    topics_sought = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.order_by("name"),
        required=False,
        label="Skills I want to develop (as a mentee)",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    career_areas = forms.MultipleChoiceField(
        choices=CareerArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Career areas",
    )

    class Meta:
        model = MentoringApplication
        fields = [
            "as_mentor",
            "as_mentee",
            "capacity",
            "topics_offered",
            "topics_sought",
            "topics_text",
            "career_areas",
            "prefers_other_department",
            "prefers_same_site",
            "preferences_note",
        ]
        labels = {
            "as_mentor": "Apply as a mentor",
            "as_mentee": "Apply as a mentee",
            "capacity": "How many mentees you will take (as a mentor)",
            "prefers_other_department": "I would like a partner from another department",
            "prefers_same_site": "I would like a partner on the same site",
        }

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("as_mentor") or cleaned.get("as_mentee")):
            raise forms.ValidationError("Apply as a mentor, a mentee or both.")
        return cleaned


class MeetingForm(forms.ModelForm):
    class Meta:
        model = MentoringMeeting
        fields = ["date", "note"]
        widgets = {"date": DateInput, "note": forms.Textarea(attrs={"rows": 4})}


class EvaluationForm(forms.ModelForm):
    usefulness = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        label="How useful was the mentoring? (1 not at all, 5 very)",
    )
    goals_met = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        label="How far were your goals met? (1 not at all, 5 fully)",
    )

    class Meta:
        model = MentoringEvaluation
        fields = ["usefulness", "goals_met", "comment"]


class SwapForm(forms.Form):
    first = forms.IntegerField(widget=forms.HiddenInput)
    second = forms.TypedChoiceField(coerce=int, label="swap mentees with")


class PairForm(forms.Form):
    """The coordinator pairs two applicants of a round by hand, each chosen with the people
    picker (docs/development-people-picker.md): the mentor among the round's applicants as
    mentors, the mentee among its applicants as mentees, whatever the suggestions offered."""

    mentor = TechnicianField(label="Mentor")
    mentee = TechnicianField(label="Mentee")

    def __init__(self, *args, round: MentoringRound, **kwargs):
        kwargs.setdefault("auto_id", "make-%s")
        super().__init__(*args, **kwargs)
        for name in ("mentor", "mentee"):
            self.fields[name].queryset = Technician.objects.filter(
                mentoring_applications__round=round, **{f"mentoring_applications__as_{name}": True}
            )
