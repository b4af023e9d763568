"""Forms of professional registration. Field facts (lengths, help text) come from the models;
rules that need the database (which body awards which register, the budget) are the services'."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from portal.params import DateParamField
from portal.periods import financial_year_bounds, financial_year_of, format_money
from registration import files
from registration.models import (
    CPDEntry,
    FundingApplication,
    FundingBudget,
    ProfessionalBody,
    Register,
    Registration,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BodySelect(forms.Select):
    """Each body's option names the registers it awards (`data-registers`), so that the page
    offers only the bodies of the chosen register (static/js/portal.js). Without JavaScript
    every body is listed, and the service refuses a body that does not award the register."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs["data-narrowed-by"] = "register"
        self.awards: dict[int, list[int]] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        pk = getattr(value, "value", value)  # a ModelChoiceIteratorValue
        if pk in self.awards:
            option["attrs"]["data-registers"] = " ".join(str(r) for r in self.awards[pk])
        return option


def _narrow_bodies(form: forms.ModelForm) -> None:
    """The body list of `form`, ordered by name, each option naming the registers it awards
    (one query for all of them)."""
    field = form.fields["body"]
    field.queryset = ProfessionalBody.objects.order_by("name")
    awards: dict[int, list[int]] = {}
    through = ProfessionalBody.registers.through.objects.order_by("register_id")
    for body_id, register_id in through.values_list("professionalbody_id", "register_id"):
        awards.setdefault(body_id, []).append(register_id)
    field.widget.awards = awards


class ApplicationForm(forms.ModelForm):
    amount_requested = forms.DecimalField(
        label="Amount requested (£)",
        required=False,
        min_value=0.01,
        max_digits=8,
        decimal_places=2,
        help_text="Leave empty for the register's application fee plus the first year's fee.",
    )

    class Meta:
        model = FundingApplication
        fields = ["register", "body", "amount_requested", "amount_reason", "justification"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 6}), "body": BodySelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = Register.objects.order_by("order", "code")
        self.fields["register"].label_from_instance = lambda r: (
            f"{r.title} ({r.code}) — {format_money(r.first_year_cost)} "
            f"({format_money(r.application_fee)} application + "
            f"{format_money(r.annual_fee)} first year)"
        )
        _narrow_bodies(self)
        self.fields["body"].label_from_instance = lambda b: (
            f"{b.name} ({b.short_name})" if b.short_name else b.name
        )


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = [
            "register",
            "body",
            "membership_number",
            "registered_on",
            "renewal_due_on",
            "status",
        ]
        widgets = {
            "registered_on": DateInput(),
            "renewal_due_on": DateInput(),
            "body": BodySelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = Register.objects.order_by("order", "code")
        _narrow_bodies(self)

    def validate_unique(self):
        # The technician is set by the service: it checks the one-registration-per-register rule.
        pass


class CPDEntryForm(forms.ModelForm):
    evidence = forms.FileField(
        required=False,
        help_text=f"Optional: {files.ALLOWED_DESCRIPTION}, up to {files.max_size_text()}.",
        widget=forms.ClearableFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE}),
    )

    class Meta:
        model = CPDEntry
        fields = ["date", "activity", "hours", "learning"]
        widgets = {"date": DateInput(), "learning": forms.Textarea(attrs={"rows": 4})}


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SendBackForm(forms.Form):
    # Beside the endorsement's own note field on the same page: its own ids.
    prefix = "send_back"

    note = forms.CharField(
        label="What to change",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please say what the applicant should change."},
    )


class RejectForm(forms.Form):
    note = forms.CharField(
        label="Why it is not approved",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please write a note saying why."},
    )


class ProofForm(forms.Form):
    proof = forms.FileField(
        label="Proof of registration",
        help_text=f"The body's letter or certificate: {files.ALLOWED_DESCRIPTION}, up to "
        f"{files.max_size_text()}.",
        widget=forms.ClearableFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE}),
        error_messages={"required": "Please choose the file showing your registration."},
    )


class PaymentForm(forms.Form):
    reference = forms.CharField(
        label="Payment reference",
        max_length=100,
        error_messages={"required": "Please give the payment reference."},
    )


class BudgetForm(forms.ModelForm):
    class Meta:
        model = FundingBudget
        fields = ["financial_year", "amount"]
        labels = {"amount": "Budget (£)"}

    def validate_unique(self):
        pass  # setting an existing year's budget changes it (services.set_budget)


class CPDPeriodForm(forms.Form):
    """The period of a CPD record download: this financial year unless chosen."""

    start = DateParamField(label="From", widget=DateInput())
    end = DateParamField(label="To", widget=DateInput())

    @classmethod
    def initial_period(cls) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        starts, _ = financial_year_bounds(financial_year_of(today))
        return starts, today

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must not come before its start.")
        if start and end and (end - start).days > 366 * 10:
            self.add_error("start", "Please choose a period of at most ten years.")
        return data


class RegisterFeesForm(forms.ModelForm):
    class Meta:
        model = Register
        fields = ["application_fee", "annual_fee", "fee_note"]
        labels = {
            "application_fee": "Application fee (£)",
            "annual_fee": "Annual fee (£)",
            "fee_note": "Where the fees come from",
        }
