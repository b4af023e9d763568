"""The profile a technician edits themselves: HR-owned fields are not in these forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory

from technicians import photos
from technicians.models import Skill, Technician, TechnicianSkill
from technicians.validators import validate_orcid

ORCID_URL_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")
LEVEL_HELP = "Choose a level from 1 (aware) to 4 (can train others)."


class ProfileForm(forms.ModelForm):
    """The fields a technician owns on their own profile, and their photo."""

    new_photo = forms.FileField(
        label="Upload a new photo",
        required=False,
        help_text="JPEG, PNG, WebP or GIF, at most 5 MB. We remove location and camera data.",
        error_messages={"empty": f"The file you chose is empty. {photos.WHAT_WE_TAKE}"},
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)
    # Longer than the model's 19 characters: people paste https://orcid.org/… addresses.
    orcid = forms.CharField(
        label="ORCID iD",
        required=False,
        max_length=60,
        help_text="Optional. For example 0000-0002-1825-0097.",
    )

    class Meta:
        model = Technician
        fields = ["bio", "expertise", "equipment", "orcid", "visibility"]
        labels = {"bio": "About me"}
        help_texts = {
            "bio": "A few sentences about your role and what you enjoy working on.",
            "visibility": "Who can see your profile. HR and administrators always can.",
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "expertise": forms.Textarea(attrs={"rows": 3}),
            "equipment": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }

    def clean_orcid(self) -> str:
        value = (self.cleaned_data.get("orcid") or "").strip()
        for prefix in ORCID_URL_PREFIXES:
            if value.lower().startswith(prefix):
                value = value[len(prefix) :]
        value = value.upper()
        if value:
            validate_orcid(value)
        return value

    def clean_new_photo(self) -> photos.ProcessedPhoto | None:
        upload = self.cleaned_data.get("new_photo")
        if not upload:
            return None
        return photos.process_photo(upload)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_photo") and cleaned.get("remove_photo"):
            raise ValidationError(
                "Choose either a new photo or removing your photo, not both.", code="photo_both"
            )
        if cleaned.get("remove_photo") and not self.instance.photo:
            self.cleaned_data["remove_photo"] = False
        return cleaned

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TechnicianSkillForm(forms.ModelForm):
    class Meta:
        model = TechnicianSkill
        fields = ["skill", "level"]

    def __init__(self, *args, skill_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        skill = self.fields["skill"]
        skill.queryset = Skill.objects.order_by("name")
        skill.empty_label = "Choose a skill"
        if skill_choices is not None:
            # Shared by every row of the formset: the skill list is read once, not per row.
            skill.widget.choices = skill_choices
        skill.error_messages["required"] = "Choose a skill for this row, or leave the row empty."
        skill.error_messages["invalid_choice"] = "That skill is not on the list."
        level = self.fields["level"]
        level.choices = [("", "Choose a level")] + [
            (value, f"{value}: {label}") for value, label in TechnicianSkill.Level.choices
        ]
        level.error_messages["required"] = f"Choose a level for this skill. {LEVEL_HELP}"
        level.error_messages["invalid_choice"] = LEVEL_HELP


def grouped_skill_choices() -> list:
    """Skills grouped by category, for a <select> with <optgroup>s."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for pk, name, category in Skill.objects.order_by("category", "name").values_list(
        "pk", "name", "category"
    ):
        groups.setdefault(category, []).append((pk, name))
    return [("", "Choose a skill"), *groups.items()]


class BaseSkillFormSet(BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._skill_choices = None

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
