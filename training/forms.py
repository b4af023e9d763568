"""Forms of the training pages. Field facts come from the models; rules from the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings

from portal.evidence import ACCEPT_ATTRIBUTE
from portal.params import DateParamField
from technicians.pickers import TechnicianField
from training.models import Category, Course, Session, TrainingRecord
from training.services import COURSE_FIELDS, SESSION_FIELDS


class CatalogueFilter(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any category"), *Category.choices]
    )
    provider = forms.ChoiceField(label="Provider", required=False, choices=[("", "Any provider")])
    starts_from = DateParamField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_until = DateParamField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    free_seats = forms.BooleanField(label="Has free seats", required=False)

    def __init__(self, *args, providers: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Any provider")] + [(p, p) for p in providers]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "category": data["category"],
            "provider": data["provider"],
            "starts_from": data["starts_from"],
            "starts_until": data["starts_until"],
            "free_seats": data["free_seats"],
        }


class BookForForm(forms.Form):
    """Who to book: oneself, a member of one's team, or (coordinators) anyone, chosen with the
    people picker (suggestions from one's team unless `anyone`)."""

    technician = TechnicianField(label="Who is this booking for?")

    def __init__(self, *args, technicians, anyone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["technician"]
        field.queryset = technicians
        field.widget.params = {} if anyone else {"scope": "team"}


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="The technician is told this.",
    )


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = list(COURSE_FIELDS)  # what the catalogue services save

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = "The course's web address; leave empty to make one."


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.ModelForm):
    online_url = forms.URLField(
        label="Online link", required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Session
        fields = list(SESSION_FIELDS)
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "booking_closes_at": DateTimeInput(),
            "cancellation_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"starts_at": "Starts", "ends_at": "Ends", "booking_closes_at": "Booking closes"}


class LogTrainingForm(forms.ModelForm):
    UNIT_CHOICES = (("days", "Days"), ("hours", "Hours"))

    amount = forms.DecimalField(
        label="How long",
        min_value=Decimal("0.1"),
        max_value=Decimal("400"),
        decimal_places=2,
        help_text=f"In days or hours ({settings.TRAINING_HOURS_PER_DAY} hours make a day).",
    )
    unit = forms.ChoiceField(label="Unit", choices=UNIT_CHOICES, initial="days")
    evidence = forms.FileField(
        label="Evidence",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text="A certificate, agenda or notes: PDF, image or office document.",
    )

    class Meta:
        model = TrainingRecord
        fields = ["date", "category", "title", "provider", "reflection"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reflection": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"title": "What did you do?"}

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in ("date", "category", "title", "provider")}
        values["reflection"] = data.get("reflection", "")
        values["evidence"] = data.get("evidence") or None
        values["days" if data["unit"] == "days" else "hours"] = data["amount"]
        return values


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        choices=(("1", "Attended"), ("0", "No-show")), coerce=lambda v: v == "1"
    )
