"""The Commitment's pages: the public page (anyone), the self-assessment workspace and its
exports, peer-review feedback, and the annual report's highlights, approval and KPI export
(steering group and HR). Thin: rules in commitment.permissions, changes in
commitment.services, queries in commitment.selectors."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commitment import (
    cycle,
    exports,
    forms,
    kpis,
    permissions,
    selectors,
    self_assessment,
    services,
)
from commitment.models import AnnualReport, ReportHighlight
from commitment.reports.selectors import current_year, reportable_years
from portal.csv_export import csv_response
from portal.decorators import deny_unless, permission_required
from portal.files import serve_private_file
from portal.forms import call_service
from portal.periods import academic_year_label


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- the public page ------------------------------------------------------------------------


@require_GET
def public(request):
    today = timezone.localdate()
    commitment = selectors.the_commitment()
    stage = due_on = None
    submitted = []
    if commitment:
        stage, due_on = cycle.next_due(commitment, today=today)
        submitted = [s for s in selectors.submissions(commitment) if s.is_frozen]
    plan = selectors.running_plan(today)
    actions = list(selectors.public_actions(plan))
    pillars = [
        (label, [action for action in actions if action.pillar == pillar])
        for pillar, label in kpis.PILLARS
    ]
    from technicians.models import Department

    return render(
        request,
        "commitment/public.html",
        {
            "commitment": commitment,
            "stage": stage,
            "due_on": due_on,
            "submitted": submitted,
            "plan": plan,
            "pillars": pillars,
            "departments": Department.objects.order_by("name").only("name", "slug"),
            "report": selectors.latest_approved_report(),
            "blocks": _public_blocks(request),
        },
    )


def _public_blocks(request) -> list:
    """What other apps show on the public page (impact stories, award winners), rendered."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from portal import registry

    rendered = []
    for block in registry.public_blocks():
        context = block.context(request)
        if context is not None:
            html = render_to_string(block.template, context, request=request)
            rendered.append(mark_safe(html))  # noqa: S308  (our own rendered templates)
    return rendered


@require_GET
def public_report(request, pk: int):
    report = selectors.latest_approved_report()
    if report is None or report.pk != pk:
        raise Http404("No approved report.")
    deny_unless(request, permissions.can_read_published_report(request.user, report))
    label = academic_year_label(report.year).replace("–", "-")
    return serve_private_file(
        report.file,
        content_type="application/pdf",
        filename=f"technician-commitment-report-{label}.pdf",
    )


# --- the Commitment and its submissions -------------------------------------------------


@require_GET
@permission_required(permissions.can_manage_commitment)
def self_assessments(request):
    commitment = selectors.the_commitment()
    context = {"commitment": commitment}
    if commitment:
        today = timezone.localdate()
        stage, due_on = cycle.next_due(commitment, today=today)
        context |= {
            "submissions": selectors.submissions(commitment),
            "stage": stage,
            "due_on": due_on,
            "countdown": cycle.countdown(due_on, today),
        }
    return render(request, "commitment/self_assessment/list.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_manage_commitment)
def edit_commitment(request):
    commitment = selectors.the_commitment()
    initial = {}
    if commitment:
        initial = {
            name: getattr(commitment, name)
            for name in ("signed_on", "announced_on", "lead", "champion", "contact_email", "chair")
        }
    form = forms.CommitmentForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.save_commitment, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, "The Commitment is saved.")
        return redirect("commitment:self_assessments")
    return render(request, "commitment/commitment_form.html", {"form": form})


def _submission(pk: int):
    submission = selectors.submission_by_pk(pk)
    if submission is None:
        raise Http404("No such submission.")
    return submission


@require_GET
@permission_required(permissions.can_manage_commitment)
def submission(request, pk: int):
    item = _submission(pk)
    document = self_assessment.document(item)
    texts = selectors.pillar_texts(item)
    advice = selectors.advice_of(item)
    plans = selectors.plans_for_advice(item, timezone.localdate())
    pillars = []
    for pillar in document["pillars"]:
        text = texts.get(pillar["pillar"])
        pillars.append(
            {
                **pillar,
                "form": forms.PillarForm(
                    initial={
                        "reflection": text.reflection if text else "",
                        "voice": text.voice if text else "",
                    },
                    prefix=pillar["pillar"],
                ),
                "strengths": text.strengths if text else "",
                "strengths_form": forms.StrengthsForm(
                    initial={"strengths": text.strengths if text else ""},
                    prefix=f"strengths-{pillar['pillar']}",
                ),
                "advice": [
                    {
                        "advice": entry,
                        "form": forms.AdviceActionForm(plans=plans, prefix=f"advice-{entry.pk}"),
                    }
                    for entry in advice
                    if entry.pillar == pillar["pillar"]
                ],
            }
        )
    return render(
        request,
        "commitment/self_assessment/workspace.html",
        {
            "submission": item,
            "document": document,
            "pillars": pillars,
            "advice_form": forms.AdviceForm(),
            "events": list(item.events.select_related("actor")),
            "countdown": cycle.countdown(item.due_on, timezone.localdate()),
        },
    )


def _step(request, pk: int, service, success: str, **kwargs):
    item = _submission(pk)
    try:
        service(item, by=request.user, **kwargs)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, success)
    return redirect("commitment:submission", pk=item.pk)


@require_POST
@permission_required(permissions.can_manage_commitment)
def start(request, pk: int):
    return _step(request, pk, services.start_drafting, "Drafting has started.")


@require_POST
@permission_required(permissions.can_manage_commitment)
def extend(request, pk: int):
    return _step(request, pk, services.extend_submission, "The stage moves to the next window.")


@require_POST
@permission_required(permissions.can_manage_commitment)
def submit(request, pk: int):
    return _step(
        request,
        pk,
        services.submit_submission,
        "Submitted: the self-assessment is frozen as it was sent.",
    )


@require_POST
@permission_required(permissions.can_manage_commitment)
def reviewed(request, pk: int):
    return _step(request, pk, services.mark_reviewed, "The peer review is recorded.")


@require_POST
@permission_required(permissions.can_manage_commitment)
def save_pillar(request, pk: int, pillar: str):
    if pillar not in dict(kpis.PILLARS):
        raise Http404("No such pillar.")
    form = forms.PillarForm(request.POST, prefix=pillar)
    if not form.is_valid():
        messages.error(request, "The text is too long.")
        return redirect("commitment:submission", pk=pk)
    return _step(
        request,
        pk,
        services.save_pillar,
        f"{dict(kpis.PILLARS)[pillar]} is saved.",
        pillar=pillar,
        **form.cleaned_data,
    )


@require_POST
@permission_required(permissions.can_manage_commitment)
def strengths(request, pk: int, pillar: str):
    if pillar not in dict(kpis.PILLARS):
        raise Http404("No such pillar.")
    form = forms.StrengthsForm(request.POST, prefix=f"strengths-{pillar}")
    form.is_valid()
    return _step(
        request,
        pk,
        services.record_strengths,
        "The strengths are saved.",
        pillar=pillar,
        strengths=form.cleaned_data.get("strengths", ""),
    )


@require_POST
@permission_required(permissions.can_manage_commitment)
def add_advice(request, pk: int):
    form = forms.AdviceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a pillar and write the advice.")
        return redirect("commitment:submission", pk=pk)
    return _step(request, pk, services.add_advice, "The advice is recorded.", **form.cleaned_data)


@require_POST
@permission_required(permissions.can_manage_commitment)
def advice_action(request, pk: int, advice_pk: int):
    item = _submission(pk)
    entry = next((a for a in selectors.advice_of(item) if a.pk == advice_pk), None)
    if entry is None:
        raise Http404("No such advice.")
    plans = selectors.plans_for_advice(item, timezone.localdate())
    form = forms.AdviceActionForm(request.POST, plans=plans, prefix=f"advice-{entry.pk}")
    if not form.is_valid():
        messages.error(
            request,
            "To make an action: choose a plan, give a reference and a due date. "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return redirect("commitment:submission", pk=pk)
    try:
        action = services.advice_to_action(entry, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, f"The advice is now action {action.ref} of {action.plan}.")
    return redirect("commitment:submission", pk=pk)


@require_GET
@permission_required(permissions.can_manage_commitment)
def export_pdf(request, pk: int):
    document = self_assessment.document(_submission(pk))
    try:
        pdf = exports.pdf_bytes(document)
    except exports.RenderingUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(document, "pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
@permission_required(permissions.can_manage_commitment)
def export_docx(request, pk: int):
    document = self_assessment.document(_submission(pk))
    response = HttpResponse(exports.docx_bytes(document), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(document, "docx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the annual report: highlights, approval, KPI export -------------------------------------


@require_GET
@permission_required(permissions.can_manage_commitment)
def reports(request):
    try:
        year = int(request.GET.get("year") or current_year())
    except ValueError:
        year = current_year()
    return render(
        request,
        "commitment/reports_admin.html",
        {
            "year": year,
            "label": academic_year_label(year),
            "years": reportable_years(),
            "highlights": selectors.highlights(year),
            "form": forms.HighlightForm(initial={"year": year}),
            "reports": list(
                AnnualReport.objects.select_related("approved_by").order_by("-year", "-version")[
                    :10
                ]
            ),
            "can_approve": permissions.can_approve_annual_report(request.user),
        },
    )


@require_POST
@permission_required(permissions.can_manage_commitment)
def add_highlight(request):
    form = forms.HighlightForm(request.POST)
    if form.is_valid():
        try:
            services.add_highlight(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, "The highlight is added.")
        return redirect(f"/commitment/reports/?year={form.cleaned_data['year']}")
    messages.error(request, "Give the highlight a title and its text.")
    return redirect("commitment:reports")


@require_POST
@permission_required(permissions.can_manage_commitment)
def delete_highlight(request, pk: int):
    highlight = ReportHighlight.objects.filter(pk=pk).first()
    if highlight is None:
        raise Http404("No such highlight.")
    services.delete_highlight(highlight, by=request.user)
    messages.success(request, "The highlight is removed.")
    return redirect(f"/commitment/reports/?year={highlight.year}")


@require_POST
@permission_required(permissions.can_manage_commitment)
def approve(request, pk: int):
    report = AnnualReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    try:
        services.approve_annual_report(report, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "Approved: the report is being made again as approved.")
    return redirect("commitment:reports")


KPI_YEARS = 3


def _plain(value):
    """7 rather than 7.0; None stays None (no data)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _kpi_rows(request) -> list[dict]:
    newest = current_year()
    return [
        {"year": year, "academic_year": academic_year_label(year), "pillar": figure.kpi.pillar}
        | figure.as_dict()
        | {"value": _plain(figure.value), "previous": _plain(figure.previous)}
        for year in range(newest - KPI_YEARS + 1, newest + 1)
        for figure in kpis.for_year(year)
    ]


KPI_HEADER = ["Academic year", "Pillar", "Key", "Figure", "Value", "Previous year", "Meaning"]


@require_GET
@permission_required(permissions.can_manage_commitment)
def kpis_csv(request):
    rows = [
        [
            row["academic_year"],
            row["pillar"],
            row["key"],
            row["label"],
            "" if row["value"] is None else row["value"],
            "" if row["previous"] is None else row["previous"],
            row["sentence"],
        ]
        for row in _kpi_rows(request)
    ]
    response = csv_response("technician-commitment-kpis.csv", KPI_HEADER, rows)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@permission_required(permissions.can_manage_commitment)
def kpis_json(request):
    rows = _kpi_rows(request)
    response = HttpResponse(
        json.dumps({"kpis": rows}, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="technician-commitment-kpis.json"'
    response["Cache-Control"] = "private, no-store"
    return response
