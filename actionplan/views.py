"""The action plan pages. Thin: permissions from portal.permissions, changes through
actionplan.services, shared queries from actionplan.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from actionplan import importing, permissions, rag, selectors, services
from actionplan.forms import (
    ActionFilter,
    ActionForm,
    NewPlanForm,
    NextPlanForm,
    PlanForm,
    UpdateForm,
)
from actionplan.models import PILLAR_AIMS, Action, ActionPlan
from actionplan.templatetags.actionplan_tags import fill_owners, kept_rows
from actionplan.versions import PLANS
from portal import versions
from portal.csv_export import csv_response
from portal.decorators import deny_unless, permission_required
from portal.files import serve_private_file
from portal.forms import call_service
from portal.imports.pending import recent_runs
from portal.imports.views import ImportPage, WorkerRequest


def export_file_stem(title: str) -> str:
    """The plan's title as a file name: "Action Plan 2025–2028" gives
    "action-plan-2025-2028" (slugify alone would drop the dash between the years)."""
    dashed = title.replace("\u2013", "-").replace("\u2014", "-").replace("/", "-")
    return slugify(dashed) or "action-plan"


def _visible_plan(request, pk: int) -> ActionPlan:
    """The plan, or 404 when it does not exist or is a draft the user may not see."""
    plan = selectors.plan_by_pk(pk)
    if not permissions.can_view_action_plan(request.user, plan):
        raise Http404
    return plan


def _visible_action(request, plan_pk: int, pk: int) -> Action:
    action = selectors.action_in_plan(plan_pk, pk)
    if not permissions.can_view_action_plan(request.user, action.plan):
        raise Http404
    return action


def _refuse_archived(request, target):
    messages.error(request, services.ARCHIVED)
    return redirect(target)


def _edit_refusal(request, plan: ActionPlan, target):
    """None when the user may edit the plan; a redirect to `target` with a message when it is
    archived; 403 for the wrong role."""
    if permissions.can_edit_action_plan(request.user, plan):
        return None
    deny_unless(request, permissions.can_edit_action_plans(request.user))
    return _refuse_archived(request, target)


def _editable_plan(request, pk: int):
    """(plan, None) when the user may edit the plan; (plan, response) when refused with a
    message (archived); 403 for the wrong role, 404 for a plan they may not see."""
    plan = _visible_plan(request, pk)
    return plan, _edit_refusal(request, plan, plan)


# --- plans ---------------------------------------------------------------------------------


@permission_required(permissions.is_staff_member)
def plan_list(request):
    plans = selectors.visible_plans(request.user)
    mine = selectors.open_actions_owned_by(request.user)
    return render(request, "actionplan/list.html", {"plans": plans, "mine": mine})


@permission_required(permissions.can_edit_action_plans)
@require_http_methods(["GET", "POST"])
def plan_create(request):
    form = NewPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = call_service(form, services.create_plan, request.user, **form.cleaned_data)
        if plan is not None:
            messages.success(
                request,
                f"Plan “{plan.title}” created. Now add its actions, or import them from a CSV "
                "file.",
            )
            return redirect(plan)
    return render(request, "actionplan/plan_form.html", {"form": form, "plan": None})


@permission_required(permissions.is_staff_member)
def plan_detail(request, pk: int):
    plan = _visible_plan(request, pk)
    today = rag.today()
    overview = selectors.plan_overview(plan, today)
    # Unfiltered, the filter set gives the form alone: the rows are the kept ones, below.
    actions = selectors.plan_actions(plan) if request.GET else Action.objects.none()
    action_filter = ActionFilter(request.GET, queryset=actions, plan=plan, today=today)
    context = {
        "plan": plan,
        "overview": overview,
        "filter": action_filter,
        "filtered": bool(request.GET),
        "rag_meanings": rag.RAG_MEANINGS,
    }
    if not request.GET:  # the page as it opens: every action, attention first
        owners = selectors.plan_owners(plan)
        _offer_owners(action_filter, owners)
        context["action_count"] = overview.action_count
        context["rows"] = fill_owners(
            {"request": request}, _kept_rows(plan, today), {owner.pk: owner for owner in owners}
        )
    else:
        actions = list(action_filter.qs) if action_filter.is_valid() else []
        context.update(actions=actions, action_count=len(actions))
    template = "actionplan/detail.html"
    if request.htmx and request.htmx.target == "actions-results":
        template = "actionplan/_actions_results.html"
    response = render(request, template, context)
    # The same URL answers with the page or, for htmx, the table only: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _kept_rows(plan: ActionPlan, today) -> str:
    """The plan's table rows as it opens, the same for every reader but for the owners'
    names: written once a day and kept under the plans' version (portal.versions), which
    every change to the plan, its actions and their updates moves on."""
    return versions.cached(
        f"actionplan.rows:{plan.pk}:{today.isoformat()}",
        depends_on=(PLANS,),
        compute=lambda: kept_rows(selectors.plan_actions_attention_first(plan, today), today),
    )


def _offer_owners(action_filter: ActionFilter, owners: list) -> None:
    """The owner filter's choices from the owners already read (its own query reads the
    same rows again)."""
    field = action_filter.form.fields["owner"]
    field.choices = [
        ("", field.empty_label),
        *((owner.pk, selectors.display_name(owner)) for owner in owners),
    ]


@permission_required(permissions.is_staff_member)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan, refused = _editable_plan(request, pk)
    if refused:
        return refused
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
    form = PlanForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.update_plan, request.user, plan, **form.cleaned_data)
    ):
        messages.success(request, "Plan saved.")
        return redirect(plan)
    return render(request, "actionplan/plan_form.html", {"form": form, "plan": plan})


@permission_required(permissions.is_staff_member)
def plan_history(request, pk: int):
    plan = _visible_plan(request, pk)
    return render(
        request,
        "actionplan/history.html",
        {"plan": plan, "timeline": selectors.plan_timeline(plan)},
    )


@permission_required(permissions.is_staff_member)
def plan_export(request, pk: int):
    plan = _visible_plan(request, pk)
    filename = f"{export_file_stem(plan.title)}.csv"
    return csv_response(filename, importing.EXPORT_COLUMNS, selectors.export_rows(plan))


@permission_required(permissions.is_staff_member)
def plan_print(request, pk: int):
    plan = _visible_plan(request, pk)
    today = rag.today()
    overview, sections = selectors.plan_sections(plan, today)
    return render(
        request,
        "actionplan/print.html",
        {"plan": plan, "overview": overview, "sections": sections, "today": today},
    )


class ActionImportPage(ImportPage):
    """The plan's import page (portal.imports.views): a preview applies only to its plan."""

    kind = importing.KIND
    template_name = "actionplan/import.html"
    columns = importing.ACTION_COLUMNS
    upload_help = "The columns of the plan's export, as UTF-8 CSV, at most 5 MB."
    missing_message = "This preview has expired: please upload the file again."

    def __init__(self, request, plan: ActionPlan):
        super().__init__(request)
        self.plan = plan

    @classmethod
    def for_pending(cls, pending):
        # A large file is previewed and applied by a worker: the plan is its target.
        plan = ActionPlan.objects.get(pk=int(pending.target))
        return cls(WorkerRequest(pending.uploaded_by), plan)

    @property
    def target(self) -> str:
        return importing.import_target(self.plan)

    def page_url(self) -> str:
        return reverse("actionplan:import", args=[self.plan.pk])

    def success_url(self) -> str:
        return self.plan.get_absolute_url()

    def context(self) -> dict:
        return {
            "plan": self.plan,
            "runs": recent_runs(importing.KIND, target=self.target, limit=10),
        }

    def preview(self, text: str):
        return importing.preview_import(self.plan, text)

    def apply_import(self, text: str, *, fingerprint: str, file_name: str):
        return importing.apply_import(
            self.request.user, self.plan, text, fingerprint=fingerprint, file_name=file_name
        )

    def done_message(self, result) -> str:
        return f"Imported: {result.summary()}."


@permission_required(permissions.is_staff_member)
@require_http_methods(["GET", "POST"])
def plan_import(request, pk: int):
    plan, refused = _editable_plan(request, pk)
    if refused:
        return refused
    return ActionImportPage(request, plan).handle()


@permission_required(permissions.is_staff_member)
@require_http_methods(["GET", "POST"])
def plan_next(request, pk: int):
    plan = _visible_plan(request, pk)  # 404 first: a draft's existence is not told
    deny_unless(request, permissions.can_edit_action_plans(request.user))
    existing = selectors.next_plan_of(plan)
    form = NextPlanForm(request.POST or None, initial={"title": services.suggest_next_title(plan)})
    if request.method == "POST" and form.is_valid():
        new_plan = call_service(
            form, services.start_next_plan, request.user, plan, title=form.cleaned_data["title"]
        )
        if new_plan is not None:
            messages.success(
                request,
                "Next plan started as a draft, with "
                f"{selectors.unfinished_action_count(new_plan)} unfinished "
                "actions carried over.",
            )
            return redirect(new_plan)
    starts_on, ends_on = services.next_period(plan)
    unfinished = selectors.unfinished_action_count(plan)
    return render(
        request,
        "actionplan/next.html",
        {
            "plan": plan,
            "form": form,
            "existing": existing,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "unfinished": unfinished,
        },
    )


# --- actions -------------------------------------------------------------------------------


@permission_required(permissions.is_staff_member)
@require_http_methods(["GET", "POST"])
def action_create(request, pk: int):
    plan, refused = _editable_plan(request, pk)
    if refused:
        return refused
    form = ActionForm(request.POST or None, plan=plan, initial={"due_on": plan.ends_on})
    if request.method == "POST" and form.is_valid():
        action = call_service(form, services.create_action, request.user, plan, **form.cleaned_data)
        if action is not None:
            messages.success(request, f"Action {action.ref} added.")
            return redirect(action)
    return render(
        request,
        "actionplan/action_form.html",
        {"plan": plan, "form": form, "action": None, "pillar_aims": PILLAR_AIMS},
    )


@permission_required(permissions.is_staff_member)
def action_detail(request, plan_pk: int, pk: int):
    action = _visible_action(request, plan_pk, pk)
    continues, continued_by = selectors.linked_actions(action, request.user)
    form = (
        UpdateForm(action=action)
        if permissions.can_post_action_update(request.user, action)
        else None
    )
    return render(
        request,
        "actionplan/action_detail.html",
        {
            "plan": action.plan,
            "action": action,
            "form": form,
            "timeline": selectors.action_timeline(action),
            "continues": continues,
            "continued_by": continued_by,
            "rag_meanings": rag.RAG_MEANINGS,
        },
    )


@permission_required(permissions.is_staff_member)
@require_http_methods(["GET", "POST"])
def action_edit(request, plan_pk: int, pk: int):
    action = _visible_action(request, plan_pk, pk)
    plan = action.plan
    refused = _edit_refusal(request, plan, action)
    if refused:
        return refused
    initial = {name: getattr(action, name) for name in services.ACTION_FIELDS}
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.update_action, request.user, action, **form.cleaned_data)
    ):
        messages.success(request, f"Action {action.ref} saved.")
        return redirect(action)
    return render(
        request,
        "actionplan/action_form.html",
        {"plan": plan, "form": form, "action": action, "pillar_aims": PILLAR_AIMS},
    )


@permission_required(permissions.is_staff_member)
@require_http_methods(["GET", "POST"])
def action_update(request, plan_pk: int, pk: int):
    """Post a progress update (the form is also on the action's page)."""
    action = _visible_action(request, plan_pk, pk)
    if not permissions.can_post_action_update(request.user, action):
        deny_unless(request, permissions.is_action_updater(request.user, action))
        return _refuse_archived(request, action)
    form = UpdateForm(request.POST or None, request.FILES or None, action=action)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.post_update, request.user, action, **form.cleaned_data)
    ):
        messages.success(request, f"Update posted on {action.ref}.")
        return redirect(action)
    return render(
        request,
        "actionplan/update_form.html",
        {"plan": action.plan, "action": action, "form": form},
    )


@permission_required(permissions.is_staff_member)
def evidence(request, plan_pk: int, action_pk: int, pk: int):
    """An evidence file, only for readers of its plan: an attachment, never rendered inline."""
    update = selectors.update_in_action(plan_pk, action_pk, pk)
    if not permissions.can_view_action_evidence(request.user, update):
        raise Http404
    return serve_private_file(
        update.evidence, content_type=update.evidence_content_type, filename=update.evidence_name
    )
