"""Forms of the action plan pages. They check what a person can fix on the page; the services
check everything again (and the rules live there)."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from actionplan import services
from actionplan.models import Action, ActionPlan, ActionUpdate, Pillar
from actionplan.rag import Rag, rag_q
from actionplan.selectors import display_name, owners_in_plan
from portal import evidence
from portal.forms import PersonPicker
from technicians.models import Technician
from technicians.pickers import SEARCH_URL
from technicians.selectors import resolve_person

PROGRESS_ERRORS = {
    "min_value": services.PROGRESS_RANGE,
    "max_value": services.PROGRESS_RANGE,
    "invalid": services.PROGRESS_RANGE,
    "required": "Please give the progress, from 0 to 100.",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# The browser's date picker offers only the years a plan may cover (the service checks them).
PLAN_DATE_RANGE = {
    "min": f"{ActionPlan.EARLIEST_YEAR}-01-01",
    "max": f"{ActionPlan.LATEST_YEAR}-12-31",
}


class ProgressField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Progress (%)")
        kwargs.setdefault("help_text", "How much of the action is done, from 0 to 100.")
        super().__init__(min_value=0, max_value=100, error_messages=PROGRESS_ERRORS, **kwargs)


class OwnerField(forms.CharField):
    """A portal user, given by e-mail address (as in the CSV files), chosen with the people
    picker (suggestions: technicians with a login); without JavaScript a name that only one
    of them has is taken too."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Owner")
        kwargs.setdefault(
            "help_text",
            "The portal user who reports progress: type part of a name or an e-mail address. "
            "Leave empty if nobody yet.",
        )
        kwargs.setdefault("widget", PersonPicker(search_url=SEARCH_URL, params={"accounts": "1"}))
        super().__init__(max_length=254, **kwargs)

    def prepare_value(self, value):
        user_model = get_user_model()
        if isinstance(value, user_model):
            return value.email
        if isinstance(value, int):
            user = user_model.objects.filter(pk=value).first()
            return user.email if user else ""
        return value

    # The action's current owner, accepted even after their account is deactivated, so the
    # rest of the action can still be edited.
    current_owner = None

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        allowed = Q(is_active=True)
        if self.current_owner is not None:
            allowed |= Q(pk=self.current_owner.pk)
        users = get_user_model().objects.filter(allowed).order_by("-is_active", "pk")
        user = (
            users.filter(pk=int(text)).first()
            if text.isdigit()
            else users.filter(email__iexact=text).first()
        )
        if user is None and "@" not in text:
            user = self._by_name(text)
        if user is None:
            raise forms.ValidationError(f"No portal user has the email address {text}.")
        return user

    def _by_name(self, text: str):
        """The login of the one technician with a login whose name is `text`, if only one."""
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
        return None


class PlanForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the plan is for, and how the steering group runs it.",
    )
    starts_on = forms.DateField(label="Starts on", widget=DateInput(attrs=PLAN_DATE_RANGE))
    ends_on = forms.DateField(
        label="Ends on",
        widget=DateInput(attrs=PLAN_DATE_RANGE),
        help_text=f"A plan lasts at most {ActionPlan.MAX_YEARS} years.",
    )
    status = forms.ChoiceField(
        choices=ActionPlan.Status.choices,
        initial=ActionPlan.Status.DRAFT,
        help_text="Only the steering group and HR see drafts. An archived plan can no longer "
        "be changed.",
    )

    def clean(self):
        data = super().clean()
        period = services.plan_period_errors(data.get("starts_on"), data.get("ends_on"))
        for name, messages in period.items():
            for message in messages:
                self.add_error(name, message)
        return data


class NewPlanForm(PlanForm):
    """A plan being created: never as archived (the rule is the service's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label)
            for value, label in ActionPlan.Status.choices
            if value in services.NEW_PLAN_STATUSES
        ]


class ActionForm(forms.Form):
    pillar = forms.ChoiceField(choices=Pillar.choices)
    ref = forms.CharField(
        label="Reference", max_length=20, help_text="Unique within the plan, e.g. V1.2."
    )
    title = forms.CharField(label="Action", max_length=300)
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner = OwnerField()
    lead = forms.CharField(
        required=False, max_length=200, help_text="The team or role leading the work."
    )
    due_on = forms.DateField(label="Due on", widget=DateInput())
    success_measure = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How we will know the action has worked.",
    )
    status = forms.ChoiceField(
        choices=Action.Status.choices, help_text="Choosing Complete sets progress to 100 %."
    )
    progress = ProgressField(initial=0)

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        owner = self.initial.get("owner")
        if isinstance(owner, get_user_model()):
            self.fields["owner"].current_owner = owner
        self.fields["due_on"].help_text = (
            f"Between {services.readable_date(plan.starts_on)} and "
            f"{services.readable_date(plan.ends_on)}."
        )

    def clean(self):
        data = super().clean()
        for name, messages in services.action_value_errors(
            self.plan, due_on=data.get("due_on")
        ).items():
            for message in messages:
                self.add_error(name, message)
        return data


class UpdateForm(forms.Form):
    note = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has happened since the last update.",
        error_messages={"required": services.NOTE_REQUIRED},
    )
    progress = ProgressField()
    status = forms.ChoiceField(
        choices=Action.Status.choices, help_text="Choosing Complete sets progress to 100 %."
    )
    evidence = forms.FileField(
        required=False,
        label="Evidence file",
        widget=forms.ClearableFileInput(attrs={"accept": evidence.ACCEPT_ATTRIBUTE}),
    )
    evidence_url = forms.URLField(
        required=False,
        label="Evidence link",
        max_length=500,
        assume_scheme="https",
        help_text="A web page that shows the progress, e.g. the new intranet page.",
    )

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("initial", {"progress": action.progress, "status": action.status})
        super().__init__(*args, **kwargs)
        self.action = action
        # The limit is read when the form is made: the setting may change it.
        self.fields[
            "evidence"
        ].help_text = f"A PDF, an image or an office document, at most {evidence.max_size_text()}."


class NextPlanForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="You can change it later.")


# --- the filter of the plan page -------------------------------------------------------------


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class OwnerFilter(django_filters.ModelChoiceFilter):
    field_class = OwnerChoiceField


SORTS = [
    ("attention", "Needs attention first"),
    ("due", "Due date, soonest first"),
    ("-due", "Due date, latest first"),
    ("ref", "Reference"),
]
ORDERINGS = {
    "due": ("due_on", "ref", "pk"),
    "-due": ("-due_on", "ref", "pk"),
    "ref": ("ref", "pk"),
}


class ActionFilter(django_filters.FilterSet):
    # Labels given, as django-filter would word them: it works them out on every request.
    pillar = django_filters.ChoiceFilter(
        label="Pillar", choices=Pillar.choices, empty_label="All pillars"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Action.Status.choices, empty_label="Any status"
    )
    owner = OwnerFilter(
        label="Owner", queryset=get_user_model().objects.none(), empty_label="Anyone"
    )
    rag = django_filters.ChoiceFilter(
        label="RAG", choices=Rag.choices, empty_label="Any RAG", method="filter_rag"
    )
    updated_since = django_filters.DateFilter(
        label="Updates since",
        method="filter_updated_since",
        widget=DateInput(),
        help_text="Only actions with a progress update on or after this day.",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORTS, empty_label=None, method="sort_actions"
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(self, *args, plan: ActionPlan, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.filters["owner"].queryset = owners_in_plan(plan)

    def filter_rag(self, queryset, name, value):
        return queryset.filter(rag_q(value, self.today)) if value else queryset

    def filter_updated_since(self, queryset, name, value):
        """What changed since the last meeting: actions updated on or after that day."""
        if not value:
            return queryset
        return queryset.filter(
            Exists(ActionUpdate.objects.filter(action=OuterRef("pk"), created__date__gte=value))
        )

    def sort_actions(self, queryset, name, value):
        if value == "attention" or value not in ORDERINGS:
            return attention_first(queryset, self.today)
        return queryset.order_by(*ORDERINGS[value])

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):  # the page opens exception-first
            queryset = attention_first(queryset, self.today)
        return queryset


def attention_first(queryset, today):
    """Overdue actions first (the most overdue first), then Red, Amber, Green, complete last;
    by due date within each."""
    overdue = ~Q(status=Action.Status.COMPLETE) & Q(due_on__lt=today)
    return queryset.annotate(
        attention=Case(
            When(overdue, then=Value(0)),
            When(rag_q(Rag.RED, today), then=Value(1)),
            When(rag_q(Rag.AMBER, today), then=Value(2)),
            When(rag_q(Rag.GREEN, today), then=Value(3)),
            default=Value(4),
            output_field=IntegerField(),
        )
    ).order_by("attention", "due_on", "ref", "pk")
