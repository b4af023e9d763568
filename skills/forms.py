"""Forms of the skills matrix: its filters, validation by a line manager, shadowing requests."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory

from portal import versions
from portal.forms import SharedChoices, SharedChoicesSelect
from portal.prepared import PreparedQuery, with_known
from skills import selectors
from skills.models import ShadowingRequest, Skill, TechnicianSkill
from skills.versions import SKILLS
from technicians.models import Department, Technician


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
            (name, name) for name in selectors.faculty_names()
        ]
        self.fields["category"].choices = [("", "All categories")] + [
            (name, name) for name in selectors.skill_categories()
        ]

    def matrix_options(self) -> dict:
        """The keyword arguments of `selectors.skills_matrix` (valid values only)."""
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


class UnitNeedsForm(forms.Form):
    """A unit's needs: for every skill, how many holders the unit wants (empty: not needed).
    One field per skill, `skill_<id>`, grouped by category for the page."""

    def __init__(self, *args, skills, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[str]]] = []
        for skill in skills:
            name = f"skill_{skill.pk}"
            self.fields[name] = forms.IntegerField(
                label=skill.name,
                required=False,
                min_value=1,
                max_value=50,
                initial=current.get(skill.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "need-input"}),
                error_messages={
                    "min_value": "At least 1, or leave it empty when the unit does not need it.",
                    "max_value": "At most 50.",
                    "invalid": "A whole number of holders, or empty.",
                },
            )
            self.fields[name].skill_id = skill.pk
            if self.groups and self.groups[-1][0] == skill.category:
                self.groups[-1][1].append(name)
            else:
                self.groups.append((skill.category, [name]))

    def grouped_fields(self):
        return [(category, [self[name] for name in names]) for category, names in self.groups]

    def needs(self) -> dict[int, int | None]:
        """{skill id: holders wanted, or None}: every skill of the form."""
        return {field.skill_id: self.cleaned_data.get(name) for name, field in self.fields.items()}


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


# --- the skills part of "my profile" (portal.registry.ProfileFormPart) ----------------------

LEVEL_HELP = "Choose a level from 1 (aware) to 4 (can train others)."


class TechnicianSkillForm(forms.ModelForm):
    class Meta:
        model = TechnicianSkill
        fields = ["skill", "level"]
        # Every row's skill box shares one list, written once (portal.forms.SharedChoicesSelect).
        widgets = {"skill": SharedChoicesSelect}

    def __init__(self, *args, skill_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if skill_choices is not None:
            # Shared by every row of the formset: the skill list is read once, not per row.
            self.fields["skill"].widget.choices = skill_choices


def _set_up_row_fields(fields: dict[str, forms.Field]) -> None:
    """The fields of a skills row, set up once on the form class: each row's form copies
    them, rather than setting them up again (a formset builds one form a row)."""
    skill = fields["skill"]
    skill.queryset = Skill.objects.order_by("name")
    skill.empty_label = "Choose a skill"
    skill.error_messages["required"] = "Choose a skill for this row, or leave the row empty."
    skill.error_messages["invalid_choice"] = "That skill is not on the list."
    level = fields["level"]
    level.choices = [("", "Choose a level")] + [
        (value, f"{value}: {label}") for value, label in TechnicianSkill.Level.choices
    ]
    level.error_messages["required"] = f"Choose a level for this skill. {LEVEL_HELP}"
    level.error_messages["invalid_choice"] = LEVEL_HELP


def grouped_skill_choices() -> SharedChoices:
    """Skills grouped by category, for a <select> with <optgroup>s: shared by every row, and
    kept in the process until a skill changes, so its options are written once for all."""
    return versions.kept_object(
        "skills.grouped_choices",
        depends_on=(SKILLS,),
        compute=lambda: SharedChoices([("", "Choose a skill"), *selectors.skills_by_category()]),
    )


# The rows of my profile, read at every visit: compiled once (portal.prepared).
_ROWS = PreparedQuery(
    lambda technician: TechnicianSkill.objects.filter(technician_id=technician).order_by("pk")
)


class BaseSkillFormSet(BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._skill_choices = None

    def get_queryset(self):
        """The technician's rows, in the order Django's formset gives them (by key), read by
        a query compiled once; a list serves every use the formset makes of it."""
        if not hasattr(self, "_queryset"):
            if self.instance.pk is None:
                return super().get_queryset()
            rows = _ROWS.list(technician=self.instance.pk)
            self._queryset = with_known(rows, technician=self.instance)
        return self._queryset

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if self._skill_choices is None:
            self._skill_choices = grouped_skill_choices()
        kwargs["skill_choices"] = self._skill_choices
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        seen: dict[int, Skill] = {}
        duplicates: list[str] = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            skill = form.cleaned_data.get("skill")
            if skill is None:
                continue
            if skill.pk in seen and skill.name not in duplicates:
                duplicates.append(skill.name)
            seen[skill.pk] = skill
        if duplicates:
            names = ", ".join(f"“{name}”" for name in duplicates)
            raise ValidationError(
                f"You listed {names} more than once: keep one row per skill, with one level.",
                code="duplicate_skill",
            )
        super().clean()

    def chosen_skills(self) -> list[tuple[Skill, int]]:
        """The (skill, level) pairs the technician wants, removed rows left out."""
        chosen = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            skill, level = form.cleaned_data.get("skill"), form.cleaned_data.get("level")
            if skill is not None and level:
                chosen.append((skill, int(level)))
        return chosen


SkillFormSet = inlineformset_factory(
    Technician,
    TechnicianSkill,
    form=TechnicianSkillForm,
    formset=BaseSkillFormSet,
    fields=["skill", "level"],
    extra=3,
    can_delete=True,
    max_num=60,
    validate_max=True,
)
# The factory's own form class, whose fields it made afresh from the model.
_set_up_row_fields(SkillFormSet.form.base_fields)
