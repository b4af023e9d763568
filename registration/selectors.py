"""Read-only queries of professional registration, each a constant number of queries."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from portal import versions
from portal.forms import SharedChoices
from portal.periods import financial_year_bounds, financial_year_label, financial_year_of
from portal.permissions import is_hr
from portal.prepared import PreparedQuery, with_known
from registration import services
from registration import versions as registration_versions
from registration.models import (
    CPDEntry,
    FundingApplication,
    FundingBudget,
    ProfessionalBody,
    Register,
    Registration,
)
from technicians.models import Technician
from technicians.permissions import technician_of
from technicians.selectors import uses_postgres

S = FundingApplication.Status
POST_NOMINALS_ATTR = "active_registrations"
POST_NOMINAL_LETTERS_ATTR = "post_nominal_letters"


# --- post-nominals -------------------------------------------------------------------------


def _active_letters() -> QuerySet[Registration]:
    """The letters of the outer technician's active registrations, in the registers' order."""
    return (
        Registration.objects.filter(technician=OuterRef("pk"), status=Registration.Status.ACTIVE)
        .order_by("register__order", "register__code")
        .values("register__post_nominal")
    )


def with_post_nominals(queryset: QuerySet[Technician]) -> QuerySet[Technician]:
    """Technicians with what the `post_nominals` filter of registration_tags reads. On
    PostgreSQL, their letters come with the list's own query: a subquery PostgreSQL runs only
    for the rows it returns (after the list's sort and limit), where a prefetch cost a query
    the ORM compiled afresh for every page. Elsewhere, their active registrations are
    prefetched (one query for the whole list)."""
    if uses_postgres(queryset):
        return queryset.annotate(**{POST_NOMINAL_LETTERS_ATTR: ArraySubquery(_active_letters())})
    return queryset.prefetch_related(
        Prefetch(
            "registrations",
            queryset=Registration.objects.filter(status=Registration.Status.ACTIVE)
            .select_related("register")
            .order_by("register__order", "register__code"),
            to_attr=POST_NOMINALS_ATTR,
        )
    )


def post_nominals(technician: Technician) -> str:
    """ "RSciTech, EngTech": read by with_post_nominals, else one query."""
    letters = getattr(technician, POST_NOMINAL_LETTERS_ATTR, None)
    if letters is None:
        registrations = getattr(technician, POST_NOMINALS_ATTR, None)
        if registrations is None:
            registrations = (
                Registration.objects.filter(
                    technician=technician, status=Registration.Status.ACTIVE
                )
                .select_related("register")
                .order_by("register__order", "register__code")
            )
        letters = [registration.register.post_nominal for registration in registrations]
    return ", ".join(dict.fromkeys(letters))  # each once, in the registers' order


def registered_filter(register: Register | None = None) -> Q:
    """Technicians with an active registration (on `register`, when given)."""
    condition = Q(registrations__status=Registration.Status.ACTIVE)
    if register is not None:
        condition &= Q(registrations__register=register)
    return condition


def register_choices() -> SharedChoices:
    """(code, "title (code)") of every register in order, for the directory's register
    filter: the same for everyone, kept in the process under the "registers" version and
    shared by every form that shows them (`portal.forms.SharedChoices`)."""
    return versions.kept_object(
        "registration.register-choices",
        depends_on=(registration_versions.REGISTERS,),
        compute=lambda: SharedChoices(
            [
                (register.code, str(register))
                for register in Register.objects.order_by("order", "code")
            ]
        ),
    )


# --- a technician's own records ------------------------------------------------------------


# Compiled once (portal.prepared): the dashboard and the registration page ask for them on
# every visit of a technician.
_REGISTRATIONS = PreparedQuery(
    lambda technician: (
        Registration.objects.filter(technician_id=technician)
        .select_related("register", "body")
        .order_by("register__order", "pk")
    )
)
_APPLICATIONS = PreparedQuery(
    lambda technician: (
        FundingApplication.objects.filter(applicant_id=technician)
        .select_related("register", "body")
        .order_by("-status_changed_at", "-pk")
    )
)


def registrations_of(technician: Technician) -> list[Registration]:
    return with_known(_REGISTRATIONS.list(technician=technician.pk), technician=technician)


def applications_of(technician: Technician) -> list[FundingApplication]:
    """Open applications first (what needs doing), then the rest, newest first."""
    applications = with_known(_APPLICATIONS.list(technician=technician.pk), applicant=technician)
    return sorted(applications, key=lambda a: a.status not in FundingApplication.OPEN)


def cpd_entries_of(technician: Technician) -> list[CPDEntry]:
    return with_known(_CPD_ENTRIES.list(technician=technician.pk), technician=technician)


_CPD_ENTRIES = PreparedQuery(
    lambda technician: CPDEntry.objects.filter(technician_id=technician).order_by("-date", "-pk")[
        :200
    ]
)


def renewals_due(
    registrations: list[Registration], today: datetime.date, days: int = 60
) -> list[Registration]:
    """Of `registrations` (from `registrations_of`), the active ones due for renewal within
    `days` (or overdue), with `days_left`: no query of its own."""
    due = []
    for registration in registrations:
        if registration.status != Registration.Status.ACTIVE or not registration.renewal_due_on:
            continue
        registration.days_left = (registration.renewal_due_on - today).days
        registration.days_overdue = max(-registration.days_left, 0)
        if registration.days_left <= days:
            due.append(registration)
    return due


def register_options() -> list[Register]:
    """Registers with the bodies that award each (for the application form's hints)."""
    return list(Register.objects.prefetch_related("bodies").order_by("order", "code"))


# --- one application -----------------------------------------------------------------------


def application_for_page(pk: int) -> FundingApplication | None:
    return (
        FundingApplication.objects.select_related(
            "applicant__user",
            "applicant__department",
            "applicant__line_manager__user",
            "register",
            "body",
            "endorsed_by",
            "decided_by",
        )
        .prefetch_related(Prefetch("events", to_attr="timeline"))
        .filter(pk=pk)
        .first()
    )


def timeline(application: FundingApplication) -> list:
    events = getattr(application, "timeline", None)
    if events is None:
        events = list(application.events.all())
    # the actors in one query
    from django.contrib.auth import get_user_model

    actor_ids = {event.actor_id for event in events if event.actor_id}
    users = get_user_model().objects.in_bulk(actor_ids) if actor_ids else {}
    names = (
        {
            t.user_id: t.full_name
            for t in Technician.objects.filter(user_id__in=actor_ids).only(
                "user_id", "first_name", "last_name"
            )
        }
        if actor_ids
        else {}
    )
    for event in events:
        user = users.get(event.actor_id)
        event.actor_name = names.get(event.actor_id) or (
            user.get_full_name() or user.email if user else ""
        )
    return events


# --- the review page -----------------------------------------------------------------------


def _queue() -> QuerySet[FundingApplication]:
    return FundingApplication.objects.select_related(
        "applicant__department", "applicant__line_manager", "register", "body"
    ).order_by("status_changed_at", "pk")  # the longest waiting first


@dataclass
class ReviewQueues:
    endorse: list[FundingApplication]
    decide: list[FundingApplication]
    awaiting_proof: list[FundingApplication]
    pay: list[FundingApplication]
    figures: dict[str, Any] | None

    @property
    def total(self) -> int:
        return len(self.endorse) + len(self.decide) + len(self.pay)


def _with_waiting(applications: list[FundingApplication], today: datetime.date) -> list:
    from portal.periods import working_days_between

    for application in applications:
        since = timezone.localdate(application.status_changed_at)
        application.waiting_days = working_days_between(since, today)
    return applications


def _endorser(user) -> dict[str, Any]:
    """Who `user` is as an endorser, as `_endorsed_by` takes it: their technician's key, whether
    they are on the staff list now (their reports' applications), whether they are HR."""
    me = technician_of(user)
    return {
        "me": me.pk if me is not None else None,
        "manages": me is not None and me.is_active,
        "hr": is_hr(user),
    }


def _endorsed_by(*, me: int | None, manages: bool, hr: bool) -> Q:
    """Submitted applications someone endorses: their current reports' (`manages`: they are
    on the staff list now) and, for HR, those of applicants with no line manager who could
    (none, a leaver, or one with no login); never their own (`me`)."""
    condition = Q(pk__in=[])
    if manages:
        condition |= Q(applicant__line_manager_id=me)
    if hr:
        condition |= (
            Q(applicant__line_manager__isnull=True)
            | Q(applicant__line_manager__is_active=False)
            | Q(applicant__line_manager__user__isnull=True)
        )
    condition &= Q(status=S.SUBMITTED)
    if me is not None:
        condition &= ~Q(applicant_id=me)
    return condition


@functools.cache
def _endorsement_queue(*, manages: bool, hr: bool, on_the_list: bool) -> PreparedQuery:
    """The queue of `_endorsed_by` for one shape of it: compiled once (portal.prepared), as a
    line manager's dashboard and HR's review page ask at every visit. `on_the_list`: the
    person has a technician (whose key the query then takes as `me`)."""
    if on_the_list:
        return PreparedQuery(
            lambda me: _queue().filter(_endorsed_by(me=me, manages=manages, hr=hr))
        )
    return PreparedQuery(lambda: _queue().filter(_endorsed_by(me=None, manages=manages, hr=hr)))


def endorsement_queue(user) -> list[FundingApplication]:
    endorser = _endorser(user)
    me, manages, hr = endorser["me"], endorser["manages"], endorser["hr"]
    if not manages and not hr:
        return []  # nobody's to endorse (and the query would hold no condition to compile)
    query = _endorsement_queue(manages=manages, hr=hr, on_the_list=me is not None)
    return query.list(me=me) if me is not None else query.list()


# HR's queues after endorsement, on the review page at every visit: compiled once.
_HR_QUEUES = PreparedQuery(
    lambda: _queue().filter(status__in=(S.ENDORSED, S.APPROVED, S.REGISTERED))
)


def review_queues(user, today: datetime.date | None = None) -> ReviewQueues:
    today = today or timezone.localdate()
    endorse = endorsement_queue(user)
    decide: list = []
    awaiting_proof: list = []
    pay: list = []
    figures = None
    if is_hr(user):
        rows = _HR_QUEUES.list()
        decide = [a for a in rows if a.status == S.ENDORSED]
        awaiting_proof = [a for a in rows if a.status == S.APPROVED]
        pay = [a for a in rows if a.status == S.REGISTERED]
        figures = services.year_figures(financial_year_of(today))
    return ReviewQueues(
        endorse=_with_waiting(endorse, today),
        decide=_with_waiting(decide, today),
        awaiting_proof=_with_waiting(awaiting_proof, today),
        pay=_with_waiting(pay, today),
        figures=figures,
    )


@dataclass
class ReviewCounts:
    endorse: int
    decide: int
    pay: int
    figures: dict[str, Any] | None


def review_counts(user, today: datetime.date | None = None) -> ReviewCounts:
    """What HR's dashboard shows of `review_queues`: the queues' lengths, counted in one
    query compiled once for each shape of viewer, and the year's figures."""
    today = today or timezone.localdate()
    endorser = _endorser(user)
    hr = endorser["hr"]
    if not (hr or endorser["manages"]):
        return ReviewCounts(endorse=0, decide=0, pay=0, figures=None)  # nothing theirs to count
    query = _review_counts(
        manages=endorser["manages"], hr=hr, on_the_list=endorser["me"] is not None
    )
    rows = query.list(me=endorser["me"]) if endorser["me"] is not None else query.list()
    by_status = {row["status"]: row["n"] for row in rows}
    return ReviewCounts(
        endorse=sum(row["endorse"] for row in rows),
        decide=by_status.get(S.ENDORSED, 0) if hr else 0,
        pay=by_status.get(S.REGISTERED, 0) if hr else 0,
        figures=services.year_figures(financial_year_of(today)) if hr else None,
    )


@functools.cache
def _review_counts(*, manages: bool, hr: bool, on_the_list: bool) -> PreparedQuery:
    """The open queues' lengths by state, with how many submitted applications this shape of
    viewer endorses (`_endorsed_by`): compiled once (portal.prepared), as HR's and the
    administrators' dashboards ask at every visit. At most three rows."""

    def counts(me: int | None = None):
        return (
            FundingApplication.objects.filter(status__in=(S.SUBMITTED, S.ENDORSED, S.REGISTERED))
            .values("status")
            .annotate(
                n=Count("pk"),
                endorse=Count("pk", filter=_endorsed_by(me=me, manages=manages, hr=hr)),
            )
            .order_by()
        )

    return PreparedQuery(counts)  # `me` given when the viewer is on the staff list


# --- budgets -------------------------------------------------------------------------------


def budget_years(today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Figures for every year with a budget or funded applications, and this year and next."""
    today = today or timezone.localdate()
    this_year = financial_year_of(today)
    budgets = dict(FundingBudget.objects.values_list("financial_year", "amount"))
    totals: dict[int, dict[str, Decimal]] = {}
    for year, status, total in (
        FundingApplication.objects.filter(
            status__in=FundingApplication.FUNDED, financial_year__isnull=False
        )
        .values_list("financial_year", "status")
        .annotate(total=Sum("amount_requested"))
        .order_by()
    ):
        bucket = totals.setdefault(year, {"committed": Decimal(0), "spent": Decimal(0)})
        bucket["spent" if status == S.PAID else "committed"] += Decimal(total or 0).quantize(
            services.CENTS
        )
    years = sorted(set(budgets) | set(totals) | {this_year, this_year + 1}, reverse=True)
    result = []
    for year in years:
        bucket = totals.get(year, {"committed": Decimal(0), "spent": Decimal(0)})
        budget = budgets.get(year)
        result.append(
            {
                "year": year,
                "label": financial_year_label(year),
                "budget": budget,
                "committed": bucket["committed"],
                "spent": bucket["spent"],
                "remaining": None
                if budget is None
                else budget - bucket["committed"] - bucket["spent"],
                "is_current": year == this_year,
            }
        )
    return result


# --- the HR summary ------------------------------------------------------------------------


def hr_summary(today: datetime.date | None = None) -> dict[str, Any]:
    """The share registered, registrations by register/body/department, new this year, and
    applications and spend by financial year: a fixed number of aggregate queries."""
    today = today or timezone.localdate()
    year = financial_year_of(today)
    starts, ends = financial_year_bounds(year)
    current = Technician.objects.filter(is_active=True)
    active = Registration.objects.filter(
        status=Registration.Status.ACTIVE, technician__is_active=True
    )
    # Active registrations of technicians still on the staff list, counted per register/body.
    current_registrations = Q(
        registrations__status=Registration.Status.ACTIVE,
        registrations__technician__is_active=True,
    )
    total = current.count()
    registered = current.filter(registrations__status=Registration.Status.ACTIVE).distinct().count()
    by_register = list(
        Register.objects.annotate(count=Count("registrations", filter=current_registrations))
        .order_by("order", "code")
        .values("code", "title", "count")
    )
    by_body = list(
        ProfessionalBody.objects.annotate(
            count=Count("registrations", filter=current_registrations)
        )
        .filter(count__gt=0)
        .order_by("-count", "name")
        .values("name", "count")
    )
    by_department = list(
        active.values("technician__department__name")
        .annotate(count=Count("technician", distinct=True))
        .order_by("-count", "technician__department__name")
    )
    new_this_year = active.filter(registered_on__range=(starts, ends)).count()
    applications = {}
    for fy, status, count, amount in (
        FundingApplication.objects.exclude(status=S.DRAFT)
        .values_list("financial_year", "status")
        .annotate(count=Count("pk"), amount=Sum("amount_requested"))
        .order_by()
    ):
        row = applications.setdefault(
            fy,
            {
                "year": fy,
                "label": financial_year_label(fy) if fy else "Not yet decided",
                "applications": 0,
                "approved": 0,
                "rejected": 0,
                "committed": Decimal(0),
                "spent": Decimal(0),
            },
        )
        row["applications"] += count
        if status in FundingApplication.FUNDED:
            row["approved"] += count
        if status == S.REJECTED:
            row["rejected"] += count
        amount = Decimal(amount or 0).quantize(services.CENTS)
        if status in FundingApplication.COMMITTED:
            row["committed"] += amount
        if status == S.PAID:
            row["spent"] += amount
    by_year = sorted(
        applications.values(), key=lambda r: (r["year"] is not None, r["year"] or 0), reverse=True
    )
    return {
        "year_label": financial_year_label(year),
        "technicians": total,
        "registered": registered,
        "share": round(100 * registered / total, 1) if total else 0,
        "by_register": by_register,
        "by_body": by_body,
        "by_department": [
            {"department": row["technician__department__name"], "count": row["count"]}
            for row in by_department
        ],
        "new_this_year": new_this_year,
        "by_year": by_year,
    }


# --- the CPD record ------------------------------------------------------------------------


@dataclass
class CPDRecordEntry:
    date: datetime.date
    source: str  # "Training" or "CPD"
    activity: str
    hours: Decimal
    learning: str
    evidence: str  # a file name or a link, or ""


def _training_records(technician: Technician, starts: datetime.date, ends: datetime.date):
    """The training ledger's entries, when the training app provides one."""
    try:
        model = apps.get_model("training", "TrainingRecord")
    except LookupError:
        return []
    from django.conf import settings

    hours_per_day = Decimal(str(getattr(settings, "TRAINING_HOURS_PER_DAY", 7)))
    entries = []
    for record in model.objects.filter(technician=technician, date__range=(starts, ends)).order_by(
        "date", "pk"
    ):
        title = getattr(record, "title", "") or ""
        provider = getattr(record, "provider", "") or ""
        evidence = getattr(record, "evidence_name", "") or getattr(
            getattr(record, "evidence", None), "name", ""
        )
        entries.append(
            CPDRecordEntry(
                date=record.date,
                source="Training",
                activity=f"{title} ({provider})" if provider else title,
                hours=(Decimal(str(getattr(record, "days", 0) or 0)) * hours_per_day).quantize(
                    Decimal("0.1")
                ),
                learning=getattr(record, "reflection", "") or "",
                evidence=(evidence or "").rsplit("/", 1)[-1],
            )
        )
    return entries


def cpd_record(
    technician: Technician, starts: datetime.date, ends: datetime.date
) -> list[CPDRecordEntry]:
    """The training ledger's entries and the CPD entries of the period, by date."""
    entries = _training_records(technician, starts, ends)
    for entry in technician.cpd_entries.filter(date__range=(starts, ends)).order_by("date", "pk"):
        entries.append(
            CPDRecordEntry(
                date=entry.date,
                source="CPD",
                activity=entry.activity,
                hours=entry.hours,
                learning=entry.learning,
                evidence=entry.evidence_name,
            )
        )
    return sorted(entries, key=lambda e: e.date)
