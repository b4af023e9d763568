"""Forms of the skills matrix: its filters, validation by a line manager, shadowing requests."""

from __future__ import annotations

from django import forms

from technicians import skills_selectors
from technicians.models import Department, ShadowingRequest, TechnicianSkill


class MatrixFilterForm(forms.Form):
    """Faculty, department, category, self-rated or validated levels, at risk only. A bad
    value is ignored (the matrix falls back to the wider view), never an error page."""

    faculty = forms.ChoiceField(required=False, label="Faculty")
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("faculty", "name"),
        required=False,
        label="Department",
        empty_label="All departments",
        help_text="Choose a department to see its people.",
    )
    category = forms.ChoiceField(required=False, label="Skill category")
    levels = forms.ChoiceField(
        required=False,
        label="Levels",
        choices=[("self", "Self-rated"), ("validated", "Validated by line managers")],
    )
    at_risk = forms.BooleanField(required=False, label="At risk only")
    unit = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["faculty"].choices = [("", "All faculties")] + [
            (name, name) for name in skills_selectors.faculty_names()
        ]
        self.fields["category"].choices = [("", "All categories")] + [
            (name, name) for name in skills_selectors.skill_categories()
        ]

    def matrix_options(self) -> dict:
        """The keyword arguments of `skills_selectors.skills_matrix` (valid values only)."""
        data: dict = {}
        if self.is_bound:
            self.is_valid()  # an invalid field is left out of cleaned_data; the rest apply
            data = self.cleaned_data
        return {
            "faculty": data.get("faculty") or "",
            "department": data.get("department"),
            "category": data.get("category") or "",
            "at_risk_only": bool(data.get("at_risk")),
            "validated": data.get("levels") == "validated",
            "unit": data.get("unit") or "",
        }


class ValidateSkillForm(forms.Form):
    level = forms.TypedChoiceField(
        choices=TechnicianSkill.Level.choices, coerce=int, label="Validated level"
    )


class ShadowingRequestForm(forms.Form):
    teacher = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        required=False,
        max_length=ShadowingRequest._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note (optional)",
        help_text=ShadowingRequest._meta.get_field("note").help_text,
    )


class ShadowingDecisionForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=ShadowingRequest._meta.get_field("decision_note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Note (optional)",
    )
