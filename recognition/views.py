"""Recognition pages. Thin: rules from recognition.permissions, changes through
recognition.services, queries from recognition.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import audit
from portal.csv_export import csv_response
from portal.decorators import deny_unless, permission_required
from portal.files import serve_private_file
from portal.forms import call_service
from recognition import forms as f
from recognition import permissions, selectors, services
from recognition.models import CREDIT_ROLE_LABELS, Contribution, JudgingRound
from recognition.services import awards as award_services
from recognition.services import fund as fund_services
from technicians.models import Technician
from technicians.permissions import technician_of


def _me(request):
    return technician_of(request.user)


# --- the index -------------------------------------------------------------------------------


@require_GET
@permission_required(permissions.can_use)
def index(request):
    me = _me(request)
    calls = selectors.calls_for_index()
    context = {
        "open_calls": calls["open"],
        "other_calls": calls["other"],
        "applications": selectors.applications_of(me),
        "team_applications": selectors.applications_made_by_me_for_others(request.user),
        "to_score": selectors.to_score(request.user),
        "can_open_call": fund_services.can_open_call(request.user),
        "can_manage": permissions.can_manage(request.user),
        "can_apply": permissions.can_apply(request.user),
    }
    return render(request, "recognition/index.html", context)


# --- calls -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(fund_services.can_open_call, reason=fund_services.NOT_OPENER)
def call_create(request):
    form = f.CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = call_service(form, services.open_call, by=request.user, **form.cleaned_data)
        if call is not None:
            messages.success(request, "Call opened.")
            return redirect(call)
    return render(request, "recognition/call_form.html", {"form": form})


def _call(pk: int):
    call = selectors.call_for_page(pk)
    if call is None:
        raise Http404
    return call


@require_GET
@permission_required(permissions.can_use)
def call_detail(request, pk: int):
    call = _call(pk)
    deciding = permissions.can_decide(request.user, call.panel)
    closed = call.panel is not None and call.panel.scoring_closed()
    context = {
        "call": call,
        "figures": selectors.call_figures(call) if deciding else None,
        "ranking": selectors.call_ranking(call) if deciding else [],
        "deciding": deciding,
        "scoring_closed": closed,
        "call_closed": call.has_closed(),
        "is_member": permissions.is_panel_member(request.user, call.panel),
        "can_apply": permissions.can_apply(request.user) and call.is_open(),
        "award_form": f.AwardForm(),
        "decline_form": f.DeclineForm(),
    }
    return render(request, "recognition/call_detail.html", context)


def _applicants(request):
    me = _me(request)
    return Technician.objects.filter(pk=me.pk) | Technician.objects.filter(
        line_manager=me, is_active=True
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_apply)
def apply(request, pk: int):
    call = _call(pk)
    if not call.is_open():
        messages.error(request, "This call is not open for applications.")
        return redirect(call)
    form = f.ApplicationForm(
        request.POST or None,
        call=call,
        applicants=_applicants(request).order_by("last_name", "first_name"),
        initial={"applicant": _me(request)},
    )
    if request.method == "POST" and form.is_valid():
        application = call_service(
            form,
            services.create_fund_application,
            by=request.user,
            call=call,
            applicant=form.cleaned_data["applicant"],
            **form.values(),
        )
        if application is not None and "submit" in request.POST:
            try:
                services.submit_fund_application(application, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Application submitted to the panel.")
            return redirect(application)
        if application is not None:
            messages.success(request, "Draft saved: submit it when you are ready.")
            return redirect(application)
    return render(request, "recognition/application_form.html", {"form": form, "call": call})


# --- applications ----------------------------------------------------------------------------


def _application(request, pk: int):
    application = selectors.application_for_page(pk)
    if application is None or not permissions.can_view_application(request.user, application):
        raise Http404
    return application


def _log_view(request, application, what: str, **detail) -> None:
    """Who looked at someone else's fund application or its receipts (UK GDPR access log,
    read by HR on the person's access log); looking at your own is not logged."""
    audit.record_unless_own(
        audit.Kind.FUNDING_VIEWED,
        by=request.user,
        subject=application.applicant,
        own_user_id=application.applicant.user_id,
        what=what,
        fund_application=application.pk,
        **detail,
    )


@require_GET
@permission_required(permissions.can_use)
def application_detail(request, pk: int):
    application = _application(request, pk)
    _log_view(
        request,
        application,
        f"Development fund application #{application.pk} ({application.activity})",
    )
    user = request.user
    panel = application.call.panel
    own = selectors.review_of(user, application=application)
    reviews = selectors.reviews_of_application(application)
    can_review = permissions.can_review_application(user, application) and not (
        panel.scoring_closed()
    )
    review_initial = {}
    if own is not None:
        review_initial = {
            "conflict": own.conflict,
            "conflict_reason": own.conflict_reason,
            "comment": own.comment,
        }
        review_initial.update({f"score_{i}": s for i, s in enumerate(own.scores or [])})
    deciding = permissions.can_decide(user, panel) and not permissions.is_applicant(
        user, application
    )
    context = {
        "application": application,
        "timeline": selectors.timeline(application),
        "receipts": selectors.receipts(application)
        if permissions.can_view_receipt(user, application)
        else [],
        "own_review": own,
        "others": [
            r for r in selectors.reviews_visible_to(user, reviews, own, panel=panel) if r != own
        ],
        "criteria": panel.criteria_list,
        "can": {
            "edit": permissions.can_edit_application(user, application),
            "submit": permissions.can_edit_application(user, application),
            "review": can_review,
            "decide": deciding
            and application.status == "submitted"
            and application.call.has_closed(),
            "claim": permissions.can_claim(user, application),
            "pay": permissions.can_manage(user)
            and application.status == "claimed"
            and not permissions.is_applicant(user, application),
            "report": permissions.can_report(user, application),
            "withdraw": permissions.can_manage(user)
            and application.status in ("awarded", "claimed", "paid"),
        },
        "overdue": application.report_overdue(),
        "review_form": f.ReviewForm(initial=review_initial, criteria=panel.criteria_list),
        "award_form": f.AwardForm(initial={"amount": application.amount_requested}),
        "decline_form": f.DeclineForm(),
        "claim_form": f.ClaimForm(initial={"amount": application.amount_awarded}),
        "pay_form": f.PayForm(initial={"amount": application.amount_claimed}),
        "report_form": f.ReportForm(),
        "withdraw_form": f.WithdrawForm(),
    }
    return render(request, "recognition/application_detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_apply)
def application_edit(request, pk: int):
    application = _application(request, pk)
    deny_unless(request, permissions.can_edit_application(request.user, application))
    call = application.call
    initial = {
        name: getattr(application, name)
        for name in (
            "applicant",
            "activity",
            "certified",
            "activity_starts_on",
            "activity_ends_on",
            "cost",
            "amount_requested",
            "match_funding",
            "match_funding_source",
            "expected_return",
            "sharing_plan",
        )
    }
    initial.update({f"answer_{i}": a for i, a in enumerate(application.answers or [])})
    form = f.ApplicationForm(
        request.POST or None,
        call=call,
        applicants=Technician.objects.filter(pk=application.applicant_id),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.update_fund_application, application, by=request.user, **form.values()
        )
        if saved is not None:
            messages.success(request, "Draft saved.")
            return redirect(saved)
    return render(
        request,
        "recognition/application_form.html",
        {"form": form, "call": call, "application": application},
    )


APPLICATION_STEPS = {
    # action: (form class or None, service, success message)
    "submit": (None, services.submit_fund_application, "Application submitted to the panel."),
    "review": (f.ReviewForm, services.review_fund_application, "Your review is saved."),
    "award": (
        f.AwardForm,
        services.award_fund_application,
        "Awarded: the applicant has been told.",
    ),
    "decline": (
        f.DeclineForm,
        services.decline_fund_application,
        "Not funded: the applicant has been told.",
    ),
    "claim": (
        f.ClaimForm,
        services.claim_fund_application,
        "Claim sent: HR has been asked to pay it.",
    ),
    "pay": (
        f.PayForm,
        services.pay_fund_application,
        "Payment recorded: the applicant has been told.",
    ),
    "report": (f.ReportForm, services.submit_fund_report, "Report sent: thank you."),
    "withdraw": (
        f.WithdrawForm,
        services.withdraw_fund_award,
        "Award withdrawn: the applicant has been told.",
    ),
}


@require_POST
@permission_required(permissions.can_use)
def application_step(request, pk: int, action: str):
    if action not in APPLICATION_STEPS:
        raise Http404
    application = _application(request, pk)
    # The wrong person is refused before any form is read (the service checks again).
    if not permissions.may_take_application_step(request.user, application, action):
        raise PermissionDenied("This step is not yours to take.")
    form_class, service, success = APPLICATION_STEPS[action]
    kwargs: dict = {}
    form = None
    if form_class is f.ReviewForm:
        form = f.ReviewForm(request.POST, criteria=application.call.panel.criteria_list)
    elif form_class is not None:
        form = form_class(request.POST, request.FILES)
    if form is not None:
        if not form.is_valid():
            messages.error(
                request,
                "Please check the form: "
                + " ".join(str(e) for errors in form.errors.values() for e in errors),
            )
            return redirect(application)
        kwargs = form.values() if hasattr(form, "values") else dict(form.cleaned_data)
    try:
        service(application, by=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(application)
    messages.success(request, success)
    return redirect(application)


@require_GET
@permission_required(permissions.can_use)
def receipt(request, pk: int, receipt_pk: int):
    application = _application(request, pk)
    deny_unless(request, permissions.can_view_receipt(request.user, application))
    item = application.receipts.filter(pk=receipt_pk).first()
    if item is None:
        raise Http404
    _log_view(
        request,
        application,
        f"Receipt “{item.name}” of development fund application #{application.pk}",
        receipt=item.pk,
    )
    return serve_private_file(item.file, content_type=item.content_type, filename=item.name)


@require_GET
@permission_required(permissions.can_manage)
def fund_admin(request):
    return render(
        request,
        "recognition/fund_admin.html",
        {"claims": selectors.claims_to_pay(), "overdue": selectors.overdue_reports()},
    )


# --- awards ----------------------------------------------------------------------------------


@require_GET
@permission_required(permissions.can_use)
def awards(request):
    me = _me(request)
    context = {
        "categories": selectors.categories(),
        "nominations": selectors.nominations_made_by(request.user),
        "my_awards": selectors.my_awards(me),
        "rounds": selectors.rounds()
        if permissions.can_manage(request.user)
        else [
            r
            for r in selectors.rounds()
            if r.panel
            and (
                permissions.is_panel_member(request.user, r.panel)
                or permissions.is_coordinator(request.user, r.panel)
            )
        ],
        "current_round": award_services.round_for(timezone.localdate()),
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "recognition/awards.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_use)
def nominate(request):
    form = f.NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        nomination = call_service(
            form,
            services.nominate,
            category=data["category"],
            nominee=data["nominee"],
            by=request.user,
            statement=data["statement"],
            team=data["team"],
            team_name=data["team_name"],
        )
        if nomination is not None:
            messages.success(
                request,
                f"Nomination received for judging {nomination.round_label}. Ask up to two "
                "colleagues for supporting testimonies below.",
            )
            return redirect(nomination)
    return render(request, "recognition/nominate.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_manage)
def awards_manage(request):
    category_form = f.CategoryForm(
        request.POST if request.POST.get("form") == "category" else None, prefix="category"
    )
    round_form = f.RoundForm(
        request.POST if request.POST.get("form") == "round" else None, prefix="round"
    )
    if request.method == "POST":
        if request.POST.get("form") == "category" and category_form.is_valid():
            if call_service(
                category_form,
                services.save_category,
                None,
                by=request.user,
                **category_form.cleaned_data,
            ):
                messages.success(request, "Category saved.")
                return redirect("recognition:awards_manage")
        elif request.POST.get("form") == "round" and round_form.is_valid():
            judging_round = call_service(
                round_form, services.set_up_round, by=request.user, **round_form.cleaned_data
            )
            if judging_round is not None:
                messages.success(request, "Judging round set up.")
                return redirect(judging_round)
    return render(
        request,
        "recognition/awards_manage.html",
        {
            "category_form": category_form,
            "round_form": round_form,
            "categories": selectors.categories(),
        },
    )


@require_GET
@permission_required(permissions.can_use)
def round_detail(request, pk: int):
    judging_round = JudgingRound.objects.select_related("panel").filter(pk=pk).first()
    if judging_round is None:
        raise Http404
    panel = judging_round.panel
    deciding = permissions.can_manage(request.user) or permissions.is_coordinator(
        request.user, panel
    )
    deny_unless(request, deciding or permissions.is_panel_member(request.user, panel))
    ranking = selectors.round_nominations(judging_round)
    return render(
        request,
        "recognition/round_detail.html",
        {
            "round": judging_round,
            "ranking": ranking,
            "deciding": deciding,
            "can_decide_now": deciding and timezone.localdate() > judging_round.cutoff_on,
        },
    )


def _nomination(request, pk: int):
    nomination = selectors.nomination_for_page(pk)
    if nomination is None:
        raise Http404
    judging_round = award_services.round_of(nomination)
    panel = judging_round.panel if judging_round else None
    if not permissions.can_view_nomination(request.user, nomination, panel):
        raise Http404
    return nomination, judging_round, panel


@require_GET
@permission_required(permissions.can_use)
def nomination_detail(request, pk: int):
    nomination, judging_round, panel = _nomination(request, pk)
    user = request.user
    own = selectors.review_of(user, nomination=nomination)
    reviews = selectors.reviews_of_nomination(nomination)
    is_nominator = nomination.nominated_by_id == user.pk
    deciding = permissions.can_manage(user) or permissions.is_coordinator(user, panel)
    criteria = panel.criteria_list if panel else []
    context = {
        "nomination": nomination,
        "round": judging_round,
        "testimonies": list(nomination.testimonies.select_related("supporter")),
        "team": list(nomination.team.all()),
        "own_review": own,
        "others": [
            r for r in selectors.reviews_visible_to(user, reviews, own, panel=panel) if r != own
        ]
        if panel
        else [],
        "criteria": criteria,
        "can": {
            "ask": is_nominator and nomination.status == "open",
            "review": panel is not None
            and nomination.status == "open"
            and permissions.is_panel_member(user, panel)
            and not panel.scoring_closed(),
            "decide": deciding and nomination.status == "open",
            "consent": permissions.can_consent(user, nomination),
        },
        "timeline": list(nomination.events.order_by("created", "pk")) if deciding else [],
        "testimony_form": f.TestimonyRequestForm(),
        "review_form": f.ReviewForm(criteria=criteria),
        "consent_form": f.ConsentForm(initial={"consent": nomination.consent_to_publish}),
    }
    return render(request, "recognition/nomination_detail.html", context)


@require_POST
@permission_required(permissions.can_use)
def nomination_step(request, pk: int, action: str):
    nomination, judging_round, panel = _nomination(request, pk)
    if action not in ("testimony", "review", "award", "decline", "consent"):
        raise Http404
    if not permissions.may_take_nomination_step(request.user, nomination, action, panel):
        raise PermissionDenied("This step is not yours to take.")
    try:
        if action == "testimony":
            form = f.TestimonyRequestForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    " ".join(e for errors in form.errors.values() for e in errors)
                )
            services.request_testimony(
                nomination, by=request.user, supporter=form.cleaned_data["supporter"]
            )
            messages.success(request, "Asked: they have been sent a link to write their testimony.")
        elif action == "review":
            form = f.ReviewForm(request.POST, criteria=panel.criteria_list if panel else [])
            if not form.is_valid():
                raise ValidationError("Please check the scores.")
            services.review_nomination(nomination, by=request.user, **form.values())
            messages.success(request, "Your review is saved.")
        elif action == "award":
            services.award_nomination(nomination, by=request.user)
            messages.success(request, "Awarded: the winner has been told.")
        elif action == "decline":
            services.decline_nomination(nomination, by=request.user)
            messages.success(request, "Recorded as not awarded.")
        elif action == "consent":
            form = f.ConsentForm(request.POST)
            form.is_valid()
            services.set_award_consent(
                nomination, by=request.user, consent=form.cleaned_data.get("consent", False)
            )
            messages.success(request, "Your choice is saved.")
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(nomination)


@require_http_methods(["GET", "POST"])
def testimony(request, token: str):
    """The supporter's page, reached through the signed link (no sign-in)."""
    try:
        item = award_services.testimony_from_token(token)
    except ValidationError:
        raise Http404 from None
    form = f.TestimonyForm(request.POST or None, initial={"text": item.text})
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.give_testimony, token, text=form.cleaned_data["text"])
    ):
        return render(request, "recognition/testimony.html", {"testimony": item, "done": True})
    return render(request, "recognition/testimony.html", {"testimony": item, "form": form})


# --- outputs ---------------------------------------------------------------------------------


def _outputs_technician(request):
    """Whose outputs: `?technician=<id>` (a line manager or HR), else one's own."""
    wanted = request.GET.get("technician") or request.POST.get("technician")
    if wanted:
        try:
            technician = Technician.objects.select_related("department").get(pk=int(wanted))
        except (ValueError, Technician.DoesNotExist):
            raise Http404 from None
    else:
        technician = _me(request)
        if technician is None:
            raise PermissionDenied("Outputs are kept for technicians on the staff list.")
    deny_unless(request, permissions.can_keep_outputs_of(request.user, technician))
    return technician


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_use)
def outputs(request):
    technician = _outputs_technician(request)
    form = f.OutputForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contribution = call_service(
            form,
            services.record_output,
            by=request.user,
            technician=technician,
            **form.cleaned_data,
        )
        if contribution is not None:
            messages.success(request, "Output recorded.")
            return redirect(f"{reverse('recognition:outputs')}?technician={technician.pk}")
    pending = selectors.contributions_of(technician, confirmed=False)
    return render(
        request,
        "recognition/outputs.html",
        {
            "technician": technician,
            "contributions": selectors.contributions_of(technician),
            "pending": pending,
            "form": form,
            "confirm_form": f.ConfirmWorkForm(),
            "can_confirm": permissions.can_confirm_works_of(request.user, technician),
            "can_import": permissions.can_import_orcid_for(request.user, technician)
            and technician.orcid,
            "role_labels": CREDIT_ROLE_LABELS,
        },
    )


@require_POST
@permission_required(permissions.can_use)
def orcid_import(request):
    technician = _outputs_technician(request)
    try:
        added = services.import_orcid_works(technician, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        plural = added != 1
        text = (
            f"{added} new work{'s' if plural else ''} from ORCID wait{'' if plural else 's'} "
            "for you to confirm."
        )
        messages.success(request, text if added else "No new works on ORCID.")
    return redirect(f"{reverse('recognition:outputs')}?technician={technician.pk}")


@require_POST
@permission_required(permissions.can_use)
def contribution_step(request, pk: int, action: str):
    contribution = Contribution.objects.select_related("technician", "output").filter(pk=pk).first()
    if contribution is None or not permissions.can_keep_outputs_of(
        request.user, contribution.technician
    ):
        raise Http404
    technician = contribution.technician
    try:
        if action == "confirm":
            form = f.ConfirmWorkForm(request.POST)
            form.is_valid()
            services.confirm_work(
                contribution,
                by=request.user,
                mine=True,
                roles=form.cleaned_data.get("roles", []),
                credit=form.cleaned_data.get("credit") or "author",
            )
            messages.success(request, "Confirmed: the work is on your profile.")
        elif action == "reject":
            services.confirm_work(contribution, by=request.user, mine=False)
            messages.success(request, "Removed: it is not yours.")
        elif action == "remove":
            services.remove_contribution(contribution, by=request.user)
            messages.success(request, "Output removed.")
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('recognition:outputs')}?technician={technician.pk}")


@require_GET
@permission_required(permissions.can_manage)
def ref_export(request):
    rows = (
        [
            c.output.title,
            c.output.get_kind_display(),
            c.output.doi,
            c.output.url,
            c.output.year,
            c.output.journal,
            c.technician.staff_number,
            c.technician.full_name,
            c.technician.department.name,
            c.get_credit_display(),
            "; ".join(c.role_labels),
        ]
        for c in selectors.ref_rows()
    )
    return csv_response(
        "ref-technician-outputs.csv",
        [
            "Title",
            "Type",
            "DOI",
            "URL",
            "Year",
            "Journal or venue",
            "Staff number",
            "Technician",
            "Department",
            "Credited as",
            "CRediT roles",
        ],
        rows,
    )
