"""The profile a technician edits themselves: HR-owned fields are not in these forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from technicians import photos
from technicians.models import Technician
from technicians.validators import validate_orcid

ORCID_URL_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


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
