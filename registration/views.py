"""Professional registration pages. Thin: rules from registration.permissions, changes through
registration.services, queries from registration.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import audit
from portal.csv_export import csv_response
from portal.decorators import deny_unless, permission_required
from portal.files import serve_private_file
from portal.forms import add_service_errors, call_service
from portal.imports.views import ImportPage
from portal.periods import financial_year_of, format_money
from registration import cpd_record, importing, permissions, selectors, services
from registration.forms import (
    ApplicationForm,
    BudgetForm,
    CPDEntryForm,
    CPDPeriodForm,
    NoteForm,
    PaymentForm,
    ProofForm,
    RegisterFeesForm,
    RegistrationForm,
    RejectForm,
    SendBackForm,
)
from registration.models import CPDEntry, Register, Registration
from technicians.permissions import technician_of

APPLICATION_FIELDS = ("register", "body", "justification", "amount_requested", "amount_reason")


def _application_values(data: dict) -> dict:
    return {name: data[name] for name in APPLICATION_FIELDS}


def _saved(request, application, draft_message: str):
    """After an application is saved: submitted too with the "submit" button, else a draft."""
    if "submit" in request.POST:
        services.submit_application(application, by=request.user)
        messages.success(
            request, "Application submitted: your line manager has been asked to endorse it."
        )
    else:
        messages.success(request, draft_message)
    return redirect(application)


def _my_technician(request):
    deny_unless(request, permissions.can_keep_records(request.user))
    return technician_of(request.user)


# --- my registration page ------------------------------------------------------------------


@require_GET
@permission_required(permissions.can_use_registration)
def index(request):
    me = technician_of(request.user)
    keeps = permissions.can_keep_records(request.user)
    start, end = CPDPeriodForm.initial_period()
    registrations = selectors.registrations_of(me) if keeps else []
    context = {
        "me": me if keeps else None,
        "registrations": registrations,
        "applications": selectors.applications_of(me) if keeps else [],
        "cpd_entries": selectors.cpd_entries_of(me) if keeps else [],
        "renewals_due": selectors.renewals_due(registrations, timezone.localdate()),
        "period_form": CPDPeriodForm(initial={"start": start, "end": end}),
        "can_review": permissions.can_review(request.user),
        "can_manage": permissions.can_manage_funding(request.user),
    }
    return render(request, "registration/index.html", context)


# --- applications --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(
    permissions.can_apply,
    reason="Funding applications are made by technicians: your account is not linked to a "
    "current technician's profile.",
)
def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        application = call_service(
            form,
            services.create_application,
            by=request.user,
            **_application_values(form.cleaned_data),
        )
        if application is not None:
            return _saved(request, application, "Draft saved: submit it when you are ready.")
    return render(
        request,
        "registration/application_form.html",
        {"form": form, "application": None, "registers": selectors.register_options()},
    )


def _visible_application(request, pk: int):
    application = selectors.application_for_page(pk)
    if application is None or not permissions.can_view_application(request.user, application):
        raise Http404
    return application


def _detail_context(request, application) -> dict:
    user = request.user
    can_decide = permissions.can_decide(user, application)
    return {
        "application": application,
        "timeline": selectors.timeline(application),
        "can": {
            "edit": permissions.can_edit_application(user, application),
            "submit": permissions.can_submit(user, application),
            "withdraw": permissions.can_withdraw(user, application),
            "endorse": permissions.can_endorse(user, application),
            "decide": can_decide,
            "record": permissions.can_record_registration(user, application),
            "pay": permissions.can_mark_paid(user, application),
            "view_proof": permissions.can_view_proof(user, application),
        },
        "note_form": NoteForm(),
        "reject_form": RejectForm(),
        "send_back_form": SendBackForm(),
        "proof_form": ProofForm(),
        "payment_form": PaymentForm(),
        "figures": services.year_figures(financial_year_of(timezone.localdate()))
        if can_decide
        else None,
    }


@require_GET
@permission_required(permissions.can_use_registration)
def application_detail(request, pk: int):
    application = _visible_application(request, pk)
    audit.record_unless_own(  # who looked at someone else's funding application
        audit.Kind.FUNDING_VIEWED,
        by=request.user,
        subject=application.applicant,
        own_user_id=application.applicant.user_id,
        what=f"Funding application #{application.pk}",
    )
    context = _detail_context(request, application)
    return render(request, "registration/application_detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_apply)
def application_edit(request, pk: int):
    application = _visible_application(request, pk)
    if not permissions.can_edit_application(request.user, application):
        if permissions.is_applicant(request.user, application):
            messages.error(request, "Only a draft can be edited: this application has been sent.")
            return redirect(application)
        deny_unless(request, False)
    form = ApplicationForm(request.POST or None, instance=application)
    if request.method == "GET":
        form.initial["amount_requested"] = application.amount_requested
    if request.method == "POST" and form.is_valid():
        fresh = selectors.application_for_page(pk)
        saved = call_service(
            form,
            services.update_application,
            fresh,
            by=request.user,
            **_application_values(form.cleaned_data),
        )
        if saved is not None:
            return _saved(request, saved, "Draft saved.")
    return render(
        request,
        "registration/application_form.html",
        {"form": form, "application": application, "registers": selectors.register_options()},
    )


TRANSITIONS = {
    # action: (form class or None, service, success message)
    "submit": (
        None,
        "submit_application",
        "Submitted: your line manager has been asked to endorse it.",
    ),
    "withdraw": (None, "withdraw_application", "Application withdrawn."),
    "endorse": (NoteForm, "endorse_application", "Endorsed: HR has been asked to decide."),
    "send_back": (
        SendBackForm,
        "send_back_application",
        "Sent back: the applicant has been told what to change.",
    ),
    "approve": (NoteForm, "approve_application", "Approved: the applicant has been told."),
    "reject": (RejectForm, "reject_application", "Rejected: the applicant has been told."),
    "record": (
        ProofForm,
        "record_registration",
        "Proof uploaded: HR has been asked to pay the fees.",
    ),
    "pay": (PaymentForm, "mark_paid", "Payment recorded: the applicant has been told."),
}
WRONG_PERSON = {
    "submit": services.NOT_APPLICANT,
    "withdraw": services.NOT_APPLICANT,
    "record": services.NOT_APPLICANT,
    "endorse": services.NOT_ENDORSER,
    "send_back": services.NOT_ENDORSER,
    "approve": services.NOT_HR,
    "reject": services.NOT_HR,
    "pay": services.NOT_HR,
}
FORM_CONTEXT_NAMES = {
    NoteForm: "note_form",
    RejectForm: "reject_form",
    SendBackForm: "send_back_form",
    ProofForm: "proof_form",
    PaymentForm: "payment_form",
}


@require_POST
@permission_required(permissions.can_use_registration)
def application_transition(request, pk: int, action: str):
    """One step of the workflow; the service checks who and from which state."""
    if action not in TRANSITIONS:
        raise Http404
    application = _visible_application(request, pk)
    # The wrong person is refused before any form is read (the service checks again).
    if not permissions.may_take_step(request.user, application, action):
        raise PermissionDenied(WRONG_PERSON[action])
    form_class, service_name, success = TRANSITIONS[action]
    service = getattr(services, service_name)
    kwargs = {}
    form = None
    if form_class is not None:
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            kwargs = dict(form.cleaned_data)
    if form is None or form.is_valid():
        try:
            service(application, by=request.user, **kwargs)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(application)
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(application)
    # Show the page again with the form's errors (and nothing lost).
    context = _detail_context(request, application)
    context["failed_action"] = action
    context[FORM_CONTEXT_NAMES[form_class]] = form
    return render(request, "registration/application_detail.html", context, status=400)


@require_GET
@permission_required(permissions.can_use_registration)
def proof(request, pk: int):
    application = _visible_application(request, pk)
    if not permissions.can_view_proof(request.user, application) or not application.proof:
        raise Http404
    return serve_private_file(
        application.proof,
        filename=application.proof_name,
        content_type=application.proof_content_type,
    )


# --- review --------------------------------------------------------------------------------


@require_GET
@permission_required(permissions.can_review)
def review(request):
    queues = selectors.review_queues(request.user)
    return render(
        request,
        "registration/review.html",
        {"queues": queues, "is_hr": permissions.can_manage_funding(request.user)},
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_manage_funding)
def budget(request):
    form = BudgetForm(
        request.POST or None, initial={"financial_year": financial_year_of(timezone.localdate())}
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.set_budget,
            by=request.user,
            financial_year=form.cleaned_data["financial_year"],
            amount=form.cleaned_data["amount"],
        )
        if saved is not None:
            messages.success(
                request, f"Budget for {saved.label} set to {format_money(saved.amount)}."
            )
            return redirect("registration:budget")
    return render(
        request, "registration/budget.html", {"form": form, "years": selectors.budget_years()}
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_manage_funding)
def fees(request):
    """HR edits each register's fees (also in the admin)."""
    registers = list(Register.objects.order_by("order", "code"))
    forms_by_register = []
    for register in registers:
        bound = request.method == "POST" and request.POST.get("register") == str(register.pk)
        form = RegisterFeesForm(
            request.POST if bound else None, instance=register, prefix=f"r{register.pk}"
        )
        if bound and form.is_valid():
            fresh = Register.objects.get(pk=register.pk)
            saved = call_service(
                form, services.update_register_fees, fresh, by=request.user, **form.cleaned_data
            )
            if saved is not None:
                messages.success(request, f"Fees of {saved.code} saved.")
                return redirect("registration:fees")
        forms_by_register.append((register, form))
    return render(request, "registration/fees.html", {"forms": forms_by_register})


# --- the HR summary ------------------------------------------------------------------------

SUMMARY_TABLES = {
    "registered": ("share-registered", ["technicians", "professionally registered", "share %"]),
    "by-register": ("registrations-by-register", ["register", "title", "registrations"]),
    "by-body": ("registrations-by-body", ["body", "registrations"]),
    "by-department": ("registrations-by-department", ["department", "registrations"]),
    "by-year": (
        "applications-by-financial-year",
        ["financial year", "applications", "approved", "rejected", "committed £", "spent £"],
    ),
}


def _summary_rows(summary: dict, table: str) -> list[list]:
    if table == "registered":
        return [
            [summary["technicians"], summary["registered"], summary["share"]],
        ]
    if table == "by-register":
        return [[row["code"], row["title"], row["count"]] for row in summary["by_register"]]
    if table == "by-body":
        return [[row["name"], row["count"]] for row in summary["by_body"]]
    if table == "by-department":
        return [[row["department"], row["count"]] for row in summary["by_department"]]
    return [
        [r["label"], r["applications"], r["approved"], r["rejected"], r["committed"], r["spent"]]
        for r in summary["by_year"]
    ]


@require_GET
@permission_required(permissions.can_manage_funding)
def summary(request):
    return render(request, "registration/summary.html", {"summary": selectors.hr_summary()})


@require_GET
@permission_required(permissions.can_manage_funding)
def summary_csv(request, table: str):
    if table not in SUMMARY_TABLES:
        raise Http404
    name, header = SUMMARY_TABLES[table]
    data = selectors.hr_summary()
    rows = _summary_rows(data, table)
    if table == "registered":
        rows.append(["new registrations this financial year", data["new_this_year"], ""])
    return csv_response(f"{name}.csv", header, rows)


# --- registrations -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_keep_records)
def registration_create(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.save_registration, None, by=request.user, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, f"Registration as {saved.register.code} recorded.")
            return redirect("registration:index")
    return render(request, "registration/registration_form.html", {"form": form, "object": None})


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_use_registration)
def registration_edit(request, pk: int):
    registration = get_object_or_404(
        Registration.objects.select_related("technician", "register"), pk=pk
    )
    if not permissions.can_edit_registration(request.user, registration):
        raise Http404
    form = RegistrationForm(request.POST or None, instance=registration)
    if request.method == "POST":
        if "delete" in request.POST:
            services.delete_registration(registration, by=request.user)
            messages.success(request, "Registration removed.")
            return redirect("registration:index")
        if form.is_valid():
            fresh = Registration.objects.get(pk=pk)
            saved = call_service(
                form, services.save_registration, fresh, by=request.user, **form.cleaned_data
            )
            if saved is not None:
                messages.success(request, "Registration updated.")
                return redirect("registration:index")
    return render(
        request, "registration/registration_form.html", {"form": form, "object": registration}
    )


# --- CPD -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_keep_records)
def cpd_create(request):
    form = CPDEntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_service(
            form,
            services.add_cpd_entry,
            by=request.user,
            date=data["date"],
            activity=data["activity"],
            hours=data["hours"],
            learning=data["learning"],
            evidence=data.get("evidence"),
        )
        if saved is not None:
            messages.success(request, "CPD entry added.")
            return redirect("registration:index")
    return render(request, "registration/cpd_form.html", {"form": form})


@require_POST
@permission_required(permissions.can_keep_records)
def cpd_delete(request, pk: int):
    entry = get_object_or_404(CPDEntry, pk=pk)
    if not permissions.can_delete_cpd_entry(request.user, entry):
        raise Http404
    services.delete_cpd_entry(entry, by=request.user)
    messages.success(request, "CPD entry removed.")
    return redirect("registration:index")


@require_GET
@permission_required(permissions.can_use_registration)
def cpd_evidence(request, pk: int):
    entry = get_object_or_404(CPDEntry, pk=pk)
    if not permissions.can_view_cpd_entry(request.user, entry) or not entry.evidence:
        raise Http404
    audit.record_unless_own(
        audit.Kind.CPD_EVIDENCE_VIEWED,
        by=request.user,
        subject=entry.technician,
        own_user_id=entry.technician.user_id,
        what=f"CPD evidence of {entry.date:%d %B %Y}",
    )
    return serve_private_file(
        entry.evidence, filename=entry.evidence_name, content_type=entry.evidence_content_type
    )


@require_GET
@permission_required(permissions.can_keep_records)
def cpd_record_download(request, fmt: str):
    me = _my_technician(request)
    form = CPDPeriodForm(request.GET)
    if not form.is_valid():
        start, end = CPDPeriodForm.initial_period()
        if request.GET:
            return render(
                request,
                "registration/cpd_period.html",
                {"form": form},
                status=400,
            )
    else:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    entries = selectors.cpd_record(me, start, end)
    if fmt == "csv":
        return cpd_record.csv_download(me, entries, start, end)
    pdf = cpd_record.render_pdf(me, entries, start, end, selectors.post_nominals(me))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{cpd_record.pdf_filename(me, start, end)}"'
    )
    response["Cache-Control"] = "private, no-store"  # a person's record: never kept
    return response


# --- HR's import of registrations ------------------------------------------------------------


class RegistrationImportPage(ImportPage):
    kind = importing.KIND
    template_name = "registration/import.html"
    columns = importing.COLUMNS
    importer = importing
    url_name = "registration:import"
    upload_help = "UTF-8 CSV with the columns below, at most 5 MB."

    def success_url(self) -> str:
        return reverse("registration:summary")

    def done_message(self, result) -> str:
        return f"Imported registrations: {result.summary()}."


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_manage_funding)
def registration_import(request):
    return RegistrationImportPage(request).handle()
