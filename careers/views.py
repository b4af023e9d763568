"""Careers pages: pathways, my pathway, the team, the pipeline, the evidence pack, succession
and mentoring. Thin: rules from careers.permissions, changes through careers.services,
queries from careers.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careers import evidence_pack, importing, permissions, selectors, services, succession
from careers.forms import (
    ApplicationForm,
    BandForm,
    BandSkillForm,
    EvaluationForm,
    MeetingForm,
    OverrideForm,
    PairForm,
    PathwayForm,
    RoundForm,
    SchemeForm,
    StatementForm,
)
from careers.models import MentoringEvaluation, MentoringPair
from portal import audit
from portal.decorators import deny_unless, permission_required
from portal.forms import call_service
from portal.imports.views import ImportPage
from technicians.permissions import technician_of


def _found(value):
    if value is None:
        raise Http404
    return value


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- pathways ---------------------------------------------------------------------------------


@require_GET
@permission_required(permissions.can_use_careers)
def index(request):
    return render(
        request,
        "careers/index.html",
        {"pathways": selectors.pathways(), "can_edit": permissions.can_edit_pathways(request.user)},
    )


@require_GET
@permission_required(permissions.can_use_careers)
def pathway(request, pk: int):
    found = _found(selectors.pathway_by_pk(pk))
    return render(
        request,
        "careers/pathway.html",
        {
            "pathway": found,
            "bands": selectors.bands_of(found),
            "can_edit": permissions.can_edit_pathways(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_pathways)
def pathway_edit(request, pk: int | None = None):
    found = _found(selectors.pathway_by_pk(pk)) if pk else None
    form = PathwayForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = call_service(form, services.save_pathway, found, by=request.user, **values)
        if saved is not None:
            messages.success(request, f"Saved the pathway {saved.name}.")
            return redirect(saved)
    return render(
        request,
        "careers/form.html",
        {"form": form, "title": "Edit pathway" if found else "New pathway", "back": found or None},
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_pathways)
def band_edit(request, pk: int | None = None, pathway_pk: int | None = None):
    band = _found(selectors.band_by_pk(pk)) if pk else None
    path = band.pathway if band else _found(selectors.pathway_by_pk(pathway_pk))
    form = BandForm(request.POST or None, instance=band)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = call_service(
            form, services.save_band, band, by=request.user, pathway=path, **values
        )
        if saved is not None:
            messages.success(request, f"Saved the band {saved.name}.")
            return redirect("careers:band_edit", pk=saved.pk)
    skill_form = BandSkillForm(categories=selectors.skill_categories()) if band else None
    return render(
        request,
        "careers/band_form.html",
        {"form": form, "band": band, "pathway": path, "skill_form": skill_form},
    )


@require_POST
@permission_required(permissions.can_edit_pathways)
def band_delete(request, pk: int):
    band = _found(selectors.band_by_pk(pk))
    try:
        services.delete_band(band, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
        return redirect("careers:band_edit", pk=band.pk)
    messages.success(request, f"Deleted the band {band.name}.")
    return redirect(band.pathway)


@require_POST
@permission_required(permissions.can_edit_pathways)
def band_skill_add(request, pk: int):
    band = _found(selectors.band_by_pk(pk))
    form = BandSkillForm(request.POST, categories=selectors.skill_categories())
    if form.is_valid():
        data = form.cleaned_data
        added = call_service(
            form,
            services.add_band_skill,
            band,
            by=request.user,
            skill=data["skill"],
            category=data["category"],
            level=data["level"],
            count=data["count"],
        )
        if added is not None:
            messages.success(request, f"Added: {added}.")
            return redirect("careers:band_edit", pk=band.pk)
    return render(
        request,
        "careers/band_form.html",
        {
            "form": BandForm(instance=band),
            "band": band,
            "pathway": band.pathway,
            "skill_form": form,
        },
        status=400,
    )


@require_POST
@permission_required(permissions.can_edit_pathways)
def band_skill_delete(request, pk: int):
    from careers.models import BandSkill

    expectation = _found(BandSkill.objects.select_related("band").filter(pk=pk).first())
    services.delete_band_skill(expectation, by=request.user)
    messages.success(request, "Removed the expectation.")
    return redirect("careers:band_edit", pk=expectation.band_id)


class PathwayImportPage(ImportPage):
    kind = importing.KIND
    template_name = "careers/import.html"
    columns = importing.COLUMNS
    url_name = "careers:import"
    importer = importing

    def done_message(self, result) -> str:
        return f"Imported pathways: {result.summary()}."


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_pathways)
def pathway_import(request):
    return PathwayImportPage(request).handle()


@require_GET
@permission_required(permissions.can_edit_pathways)
def pathway_export(request):
    return importing.export_response()


# --- a person's place -------------------------------------------------------------------------


def _me(request):
    deny_unless(request, permissions.has_pathway(request.user))
    return technician_of(request.user)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_use_careers)
def me(request):
    technician = _me(request)
    statement = getattr(technician, "career_statement", None)
    form = StatementForm(
        request.POST or None, initial={"text": statement.text if statement else ""}
    )
    if request.method == "POST" and form.is_valid():
        services.save_statement(technician, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Your statement is saved.")
        return redirect("careers:me")
    return render(
        request,
        "careers/me.html",
        {"mine": selectors.my_pathway(technician), "form": form, "own": True},
    )


# What HR's access log says of someone else's career data (portal.audit).
PATHWAY_VIEWED = "Career pathway: band and gaps to the next band"
EVIDENCE_PACK_TAKEN = "Evidence pack for promotion (PDF)"


def _person(request, pk: int):
    technician = _found(selectors.technician_by_pk(pk))
    if not permissions.can_view_pathway_of(request.user, technician):
        raise Http404
    return technician


@require_GET
@permission_required(permissions.can_use_careers)
def person(request, pk: int):
    technician = _person(request, pk)
    audit.record_unless_own(  # who looked at another person's pathway (HR's access log)
        audit.Kind.PROFILE_VIEWED,
        by=request.user,
        subject=technician,
        own_user_id=technician.user_id,
        what=PATHWAY_VIEWED,
    )
    override_form = None
    if permissions.can_override_band(request.user):
        override_form = OverrideForm()
    return render(
        request,
        "careers/me.html",
        {
            "mine": selectors.my_pathway(technician),
            "own": permissions.is_self(request.user, technician),
            "override_form": override_form,
        },
    )


@require_POST
@permission_required(permissions.can_override_band)
def band_override(request, pk: int):
    technician = _found(selectors.technician_by_pk(pk))
    if request.POST.get("clear"):
        services.clear_band_override(technician, by=request.user)
        messages.success(request, f"{technician.full_name}'s band follows their grade again.")
        return redirect("careers:person", pk=pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        done = call_service(
            form, services.set_band_override, technician, by=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, f"{technician.full_name} is placed in {done.band.name}.")
            return redirect("careers:person", pk=pk)
    return render(
        request,
        "careers/me.html",
        {"mine": selectors.my_pathway(technician), "override_form": form, "own": False},
        status=400,
    )


@require_GET
@permission_required(permissions.can_use_careers)
def evidence_pack_pdf(request, pk: int):
    technician = _person(request, pk)
    pdf = evidence_pack.render_pdf(technician)
    audit.record_unless_own(  # who took another person's evidence pack (HR's access log)
        audit.Kind.PERSONAL_DATA_EXPORTED,
        by=request.user,
        subject=technician,
        own_user_id=technician.user_id,
        what=EVIDENCE_PACK_TAKEN,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="evidence-pack-{technician.staff_number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"  # a person's record: never kept
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@permission_required(permissions.can_see_team)
def team(request):
    me_ = technician_of(request.user)
    return render(request, "careers/team.html", {"rows": selectors.team(me_)})


@require_GET
@permission_required(permissions.can_see_pipeline)
def pipeline(request):
    return render(request, "careers/pipeline.html", {"rows": selectors.pipeline()})


@require_GET
@permission_required(permissions.can_see_succession)
def succession_page(request):
    return render(request, "careers/succession.html", {"suggestions": succession.suggestions()})


# --- mentoring ----------------------------------------------------------------------------------


@require_GET
@permission_required(permissions.can_use_careers)
def mentoring(request):
    technician = technician_of(request.user)
    today = timezone.localdate()
    return render(
        request,
        "careers/mentoring.html",
        {
            "schemes": selectors.schemes_with_rounds(),
            "open_rounds": selectors.open_rounds(today),
            "applications": selectors.my_applications(technician) if technician else {},
            "pairs": selectors.my_pairs(technician) if technician else [],
            "can_apply": permissions.can_apply_for_mentoring(request.user),
            "coordinator": permissions.can_coordinate(request.user),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_coordinate)
def scheme_new(request):
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, services.save_scheme, None, by=request.user, **form.cleaned_data)
        if saved is not None:
            messages.success(request, f"Created the scheme {saved.name}.")
            return redirect("careers:mentoring")
    return render(request, "careers/form.html", {"form": form, "title": "New mentoring scheme"})


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_coordinate)
def round_new(request, pk: int):
    from careers.models import MentoringScheme

    scheme = _found(MentoringScheme.objects.filter(pk=pk).first())
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.save_round, None, by=request.user, scheme=scheme, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, f"Created the round {saved.name}.")
            return redirect(saved)
    return render(
        request, "careers/form.html", {"form": form, "title": f"New round of {scheme.name}"}
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_apply_for_mentoring)
def round_apply(request, pk: int):
    round_ = _found(selectors.round_by_pk(pk))
    technician = technician_of(request.user)
    existing = selectors.application_of(round_, technician)
    initial = {}
    if existing is None and request.GET.get("sought", "").isdigit():
        initial = {"as_mentee": True, "topics_sought": [int(request.GET["sought"])]}
    form = ApplicationForm(request.POST or None, instance=existing, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.apply_for_mentoring,
            round_,
            technician,
            by=request.user,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(
                request,
                "Your application is saved: the coordinators match pairs "
                f"after applications close on {round_.applications_close_on:%-d %B}.",
            )
            return redirect("careers:mentoring")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "careers/apply.html",
        {"form": form, "round": round_, "is_open": round_.is_open(timezone.localdate())},
        status=status,
    )


def _round_page(request, round_, *, pair_form=None, status: int = 200):
    return render(
        request,
        "careers/round.html",
        {
            "page": selectors.round_page(round_),
            "round": round_,
            "pair_form": pair_form or PairForm(round=round_),
        },
        status=status,
    )


@require_GET
@permission_required(permissions.can_coordinate)
def round_detail(request, pk: int):
    return _round_page(request, _found(selectors.round_by_pk(pk)))


def _round_step(request, pk: int, step, done):
    round_ = _found(selectors.round_by_pk(pk))
    try:
        result = step(round_)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, done(result))
    return redirect(round_)


@require_POST
@permission_required(permissions.can_coordinate)
def round_match(request, pk: int):
    return _round_step(
        request,
        pk,
        lambda r: services.run_matching(r, by=request.user),
        lambda created: (
            f"Matching done: {len(created)} new pair{'s' * (len(created) != 1)} proposed."
        ),
    )


@require_POST
@permission_required(permissions.can_coordinate)
def round_publish(request, pk: int):
    return _round_step(
        request,
        pk,
        lambda r: services.publish_round(r, by=request.user),
        lambda count: f"Published {count} pair{'s' * (count != 1)}: both people in each are told.",
    )


@require_POST
@permission_required(permissions.can_coordinate)
def round_pair(request, pk: int):
    """Pair two applicants by hand; a refusal (nobody or several people match, a hard rule)
    is shown on the form."""
    round_ = _found(selectors.round_by_pk(pk))
    form = PairForm(request.POST, round=round_)
    if form.is_valid():
        pair = call_service(form, services.make_pair, round_, by=request.user, **form.cleaned_data)
        if pair is not None:
            messages.success(request, f"Paired: {pair}.")
            return redirect(round_)
    return _round_page(request, round_, pair_form=form, status=400)


PAIR_ACTIONS = {
    "pin": (lambda pair, by, post: services.pin_pair(pair, by=by, pinned=True), "Pinned: {pair}."),
    "unpin": (lambda pair, by, post: services.pin_pair(pair, by=by, pinned=False), "Unpinned."),
    "remove": (lambda pair, by, post: services.remove_pair(pair, by=by), "Removed: {pair}."),
    "restore": (lambda pair, by, post: services.restore_pair(pair, by=by), "Restored: {pair}."),
}


@require_POST
@permission_required(permissions.can_coordinate)
def pair_action(request, pk: int, action: str):
    pair = _found(selectors.pair_by_pk(pk))
    if action == "swap":
        other = selectors.pair_by_pk(int(request.POST.get("other") or 0))
        try:
            if other is None:
                raise ValidationError("Choose the pair to swap mentees with.")
            services.swap_pairs(pair, other, by=request.user)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, "Swapped the mentees of the two pairs.")
        return redirect(pair.round)
    if action not in PAIR_ACTIONS:
        raise Http404
    step, done = PAIR_ACTIONS[action]
    try:
        step(pair, request.user, request.POST)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, done.format(pair=pair))
    return redirect(pair.round)


def _my_pair(request, pk: int) -> MentoringPair:
    pair = _found(selectors.pair_by_pk(pk))
    if not permissions.can_view_pair(request.user, pair):
        raise Http404
    return pair


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_use_careers)
def pair(request, pk: int):
    found = _my_pair(request, pk)
    form = MeetingForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.log_meeting, found, by=request.user, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, f"Meeting of {saved.date:%-d %B %Y} logged.")
            return redirect(found)
    me_ = technician_of(request.user)
    today = timezone.localdate()
    done = selectors.evaluations_of(found, me_)
    evaluations = [
        {
            "stage": stage,
            "label": label,
            "due_on": services.evaluation_due_on(found, stage),
            "done": done.get(stage),
        }
        for stage, label in MentoringEvaluation.Stage.choices
    ]
    return render(
        request,
        "careers/pair.html",
        {
            "pair": found,
            "meetings": selectors.meetings_of(found),
            "form": form,
            "evaluations": evaluations,
            "today": today,
            "role": "mentor" if me_ and me_.pk == found.mentor_id else "mentee",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_use_careers)
def evaluation(request, pk: int, stage: str):
    found = _my_pair(request, pk)
    if stage not in MentoringEvaluation.Stage.values:
        raise Http404
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.submit_evaluation,
            found,
            by=request.user,
            stage=stage,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, "Thank you: your evaluation is sent.")
            return redirect(found)
    return render(
        request,
        "careers/form.html",
        {
            "form": form,
            "title": f"Evaluate your mentoring: {MentoringEvaluation.Stage(stage).label.lower()}",
            "back": found,
        },
        status=400 if request.method == "POST" else 200,
    )
