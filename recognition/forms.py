"""Forms of the recognition pages: they read and shape input; the services decide."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.forms import PersonPicker
from recognition.models import CREDIT_ROLES, AwardCategory, Contribution, Output
from technicians.models import Technician
from technicians.pickers import SEARCH_URL, TechnicianField
from technicians.selectors import resolve_person

DATE = forms.DateInput(attrs={"type": "date"})
MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": 0}


PANEL_SIZE = 5  # panel member boxes on a call's or a round's form
TEAM_SIZE = 6  # team member boxes on a team nomination


class AccountField(forms.CharField):
    """A portal account chosen with the people picker (docs/development-people-picker.md):
    suggestions are technicians with a login; the box takes any active account's e-mail
    address, or a name only one technician with a login has. For panel members, who must
    sign in to score."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Type part of a name or an e-mail address.")
        kwargs.setdefault("widget", PersonPicker(search_url=SEARCH_URL, params={"accounts": "1"}))
        super().__init__(max_length=254, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, get_user_model()):
            return value.email
        return value

    def clean(self, value):
        text = " ".join((super().clean(value) or "").split())
        if not text:
            return None
        user = get_user_model().objects.filter(is_active=True, email__iexact=text).first()
        if user is not None:
            return user
        person, candidates = resolve_person(
            Technician.objects.filter(is_active=True, user__is_active=True), text
        )
        if person is not None:
            return person.user
        if candidates:
            names = "; ".join(f"{t.full_name} ({t.email})" for t in candidates[:8])
            raise forms.ValidationError(
                f"Several people match “{text}”: {names}. Type the e-mail address of the one "
                "you mean."
            )
        raise forms.ValidationError(
            f"Nobody with a portal login matches “{text}”: panel members sign in to score."
        )


def colleague_field(label: str, **kwargs) -> TechnicianField:
    """A current member of staff, chosen with the people picker."""
    return TechnicianField(
        label=label, queryset=Technician.objects.filter(is_active=True), **kwargs
    )


class SeveralPeopleMixin:
    """Several people chosen with one people picker each (`{prefix}_1` … `{prefix}_{size}`),
    gathered in `cleaned_data[target]` in order, each once."""

    several: tuple[tuple[str, str, int, str], ...] = ()  # (prefix, label, size, target)

    def add_people_fields(self, make) -> None:
        for prefix, label, size, _ in self.several:
            for number in range(1, size + 1):
                self.fields[f"{prefix}_{number}"] = make(prefix, f"{label} {number}")

    def gather_people(self, cleaned: dict) -> dict:
        for prefix, _, size, target in self.several:
            chosen = []
            for number in range(1, size + 1):
                person = cleaned.pop(f"{prefix}_{number}", None)
                if person is not None and person not in chosen:
                    chosen.append(person)
            cleaned[target] = chosen
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


# --- calls -----------------------------------------------------------------------------------


class CallForm(SeveralPeopleMixin, forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opens_on = forms.DateField(widget=DATE)
    closes_on = forms.DateField(widget=DATE, help_text="The last day to submit.")
    pot = forms.DecimalField(label="Pot (£)", **MONEY)
    max_award = forms.DecimalField(label="Largest award (£)", **MONEY)
    max_share_certified = forms.IntegerField(
        label="Largest share of a certified activity's cost (%)",
        initial=50,
        min_value=1,
        max_value=100,
    )
    max_share_other = forms.IntegerField(
        label="Largest share of another activity's cost (%)", initial=70, min_value=1, max_value=100
    )
    min_days_ahead = forms.IntegerField(
        label="Days ahead the activity must start", initial=28, min_value=0, max_value=365
    )
    report_back_weeks = forms.IntegerField(
        label="Report-back period (weeks after the activity)", initial=4, min_value=1, max_value=52
    )
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One question a line."
    )
    criteria = forms.CharField(
        label="Panel criteria",
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="Benefit to the applicant's role\nBenefit to the team\nValue for money",
        help_text="One criterion a line; each is scored 1 to 5.",
    )
    scoring_closes_on = forms.DateField(
        widget=DATE, required=False, help_text="Default: two weeks after the call closes."
    )

    several = (("panel_member", "Panel member", PANEL_SIZE, "panel_members"),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_people_fields(lambda prefix, label: AccountField(label=label))

    def clean(self):
        return self.gather_people(super().clean())


class ApplicationForm(forms.Form):
    applicant = forms.ModelChoiceField(
        queryset=Technician.objects.none(),
        empty_label=None,
        help_text="Yourself, or one of your team.",
    )
    activity = forms.CharField(max_length=300, help_text="The course, event or visit.")
    certified = forms.BooleanField(
        label="It is a certified course (leads to a certificate or qualification)", required=False
    )
    activity_starts_on = forms.DateField(label="Starts on", widget=DATE)
    activity_ends_on = forms.DateField(label="Ends on", widget=DATE)
    cost = forms.DecimalField(label="Total cost (£)", **MONEY)
    amount_requested = forms.DecimalField(label="Amount asked for (£)", **MONEY)
    match_funding = forms.DecimalField(
        label="Match funding (£)", initial=0, required=False, **MONEY
    )
    match_funding_source = forms.CharField(
        label="Source of the match funding", max_length=300, required=False
    )
    expected_return = forms.CharField(
        label="Expected return for your role and your team",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sharing_plan = forms.CharField(
        label="How you will share what you learn", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, call, applicants, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["applicant"].queryset = applicants
        self.questions = call.questions_list
        for index, question in enumerate(self.questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question, widget=forms.Textarea(attrs={"rows": 2})
            )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "activity": data["activity"],
            "certified": data["certified"],
            "activity_starts_on": data["activity_starts_on"],
            "activity_ends_on": data["activity_ends_on"],
            "cost": data["cost"],
            "amount_requested": data["amount_requested"],
            "match_funding": data.get("match_funding") or 0,
            "match_funding_source": data.get("match_funding_source") or "",
            "expected_return": data["expected_return"],
            "sharing_plan": data["sharing_plan"],
            "answers": [data[f"answer_{i}"] for i in range(len(self.questions))],
        }


class ReviewForm(forms.Form):
    conflict = forms.BooleanField(label="I have a conflict of interest", required=False)
    conflict_reason = forms.CharField(label="The conflict", max_length=500, required=False)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for index, criterion in enumerate(criteria):
            self.fields[f"score_{index}"] = forms.TypedChoiceField(
                label=f"{criterion} (1–5)",
                choices=[("", "—")] + [(n, str(n)) for n in range(1, 6)],
                coerce=int,
                required=False,
            )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "conflict": data["conflict"],
            "conflict_reason": data["conflict_reason"],
            "scores": [data.get(f"score_{i}") for i in range(len(self.criteria))],
            "comment": data["comment"],
        }


class AwardForm(forms.Form):
    amount = forms.DecimalField(label="Amount to award (£)", **MONEY)
    feedback = forms.CharField(
        label="Panel feedback for the applicant",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class DeclineForm(forms.Form):
    feedback = forms.CharField(
        label="Panel feedback for the applicant", widget=forms.Textarea(attrs={"rows": 2})
    )


class ClaimForm(forms.Form):
    amount = forms.DecimalField(label="Amount claimed (£)", **MONEY)
    receipts = MultipleFileField(label="Receipts", required=False)


class PayForm(forms.Form):
    amount = forms.DecimalField(label="Amount paid (£)", **MONEY)
    reference = forms.CharField(label="Payment reference", max_length=100)


class ReportForm(forms.Form):
    report = forms.CharField(
        label="Your report",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you did, what you learned, and how you shared it.",
    )
    shareable = forms.BooleanField(
        label="Share it as an impact story on the public Commitment page and in the annual report",
        required=False,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


# --- awards ----------------------------------------------------------------------------------


class NominationForm(SeveralPeopleMixin, forms.Form):
    category = forms.ModelChoiceField(queryset=AwardCategory.objects.filter(active=True))
    nominee = colleague_field("Nominee")
    team_name = forms.CharField(label="Team name (team awards)", max_length=200, required=False)
    statement = forms.CharField(
        label="Statement of support", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )

    several = (("team_member", "Team member", TEAM_SIZE, "team"),)
    field_order = ["category", "nominee", "team_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_people_fields(
            lambda prefix, label: colleague_field(
                f"{label} (team awards)", required=False, help_text=""
            )
        )
        self.order_fields(
            [*self.field_order, *(f"team_member_{n}" for n in range(1, TEAM_SIZE + 1))]
        )

    def clean(self):
        return self.gather_people(super().clean())


class TestimonyRequestForm(forms.Form):
    supporter = colleague_field("Supporter")


class TestimonyForm(forms.Form):
    text = forms.CharField(
        label="Your testimony", widget=forms.Textarea(attrs={"rows": 6}), max_length=3000
    )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label="Show this award on my profile and on the public page", required=False
    )


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    is_team = forms.BooleanField(label="Team award", required=False)
    newcomer_years = forms.IntegerField(
        label="Newcomers only: started under this many years ago",
        required=False,
        min_value=1,
        max_value=50,
    )


class RoundForm(SeveralPeopleMixin, forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    number = forms.IntegerField(label="Round", min_value=1, max_value=12)
    criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="Impact of the contribution\nReach beyond the team\nQuality of the evidence",
    )
    scoring_closes_on = forms.DateField(widget=DATE)

    several = (("member", "Panel member", PANEL_SIZE, "members"),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.add_people_fields(lambda prefix, label: AccountField(label=label))

    def clean(self):
        return self.gather_people(super().clean())


# --- outputs ---------------------------------------------------------------------------------


class RolesMixin(forms.Form):
    roles = forms.MultipleChoiceField(
        label="CRediT roles",
        choices=CREDIT_ROLES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    credit = forms.ChoiceField(
        label="Credited as", choices=Contribution.Credit.choices, initial=Contribution.Credit.AUTHOR
    )


class OutputForm(RolesMixin):
    title = forms.CharField(max_length=500)
    kind = forms.ChoiceField(choices=Output.Kind.choices)
    doi = forms.CharField(
        label="DOI", max_length=200, required=False, help_text="e.g. 10.1000/xyz123"
    )
    url = forms.URLField(
        label="URL (if no DOI)", max_length=500, required=False, assume_scheme="https"
    )
    year = forms.IntegerField(min_value=1900, max_value=2100)
    journal = forms.CharField(label="Journal or venue", max_length=300, required=False)

    field_order = ["title", "kind", "doi", "url", "year", "journal", "roles", "credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = datetime.date.today().year


class ConfirmWorkForm(RolesMixin):
    pass
