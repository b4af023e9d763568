"""The skills matrix, one skill's page (who holds it, who can teach it), reviews, demand and
shadowing requests. Rules come from skills.permissions and skills.risk; changes from
skills.services; queries from skills.selectors."""

from __future__ import annotations

import datetime
import hashlib
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import versions
from portal.csv_export import csv_response
from portal.decorators import deny_unless, permission_required
from skills import permissions, selectors, services
from skills import risk as rules
from skills.forms import (
    MatrixFilterForm,
    ShadowingDecisionForm,
    ShadowingRequestForm,
    UnitNeedsForm,
    ValidateSkillForm,
)
from skills.versions import SKILLS
from technicians import permissions as directory_rules
from technicians.versions import PEOPLE


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


MATRIX_FILTERS = ("faculty", "department", "category", "levels", "at_risk")
KEPT_FILTERS = ("category", "levels", "at_risk")


def _matrix(request, today=None):
    form = MatrixFilterForm(request.GET or None)
    matrix = selectors.skills_matrix(request.user, **form.matrix_options(), today=today)
    if matrix.department is not None and form.data.get("faculty") != matrix.faculty:
        # The faculty select shows the department's faculty (the form is only redisplayed).
        form.data = form.data.copy()
        form.data["faculty"] = matrix.faculty
    return form, matrix


@require_GET
@permission_required(permissions.can_view_skills)
def matrix(request):
    """Skills (rows, by category) against faculties, a faculty's departments, or a
    department's people, with counts per level and the risk of each cell."""
    today = timezone.localdate()  # one day for the figures and the kept table's key
    form, matrix = _matrix(request, today)
    query = request.GET.copy()
    query.pop("unit", None)
    # Links to a wider or narrower unit keep the category, levels and "at risk only".
    keep = {name: request.GET[name] for name in KEPT_FILTERS if request.GET.get(name)}
    unit_keep = [(name, value) for name, value in query.items() if name in MATRIX_FILTERS]
    context = {
        "form": form,
        "matrix": matrix,
        "query": query.urlencode(),
        "keep": urlencode(keep),
        "unit_keep": unit_keep,
        "colspan": len(matrix.units) + (2 if matrix.mode == selectors.PEOPLE else 1),
        "risk_labels": rules.RISK_LABELS,
        "risk_explanations": rules.RISK_EXPLANATIONS,
        "level_choices": selectors.LEVELS,
    }
    context["matrix_table"] = _kept_table(request, context, today)
    return render(request, "skills/matrix.html", context)


def _kept_table(request, context: dict, today: datetime.date) -> str | None:
    """The matrix's table of faculties, or of a faculty's departments: the same for everyone
    who asks the same view of it, so written once and kept under the versions of all it shows
    (skills, ratings and needs; who works where) and the day, which decides what is stale. A
    department's people are those the viewer may see: their table is written for each request
    (None)."""
    matrix, form = context["matrix"], context["form"]
    if matrix.mode == selectors.PEOPLE:
        return None
    if form.is_bound and (not form.is_valid() or form.data.get("at_risk", "on") != "on"):
        # A view no link of the portal makes (an unknown category, any text as "at risk"):
        # written for its request, so that made-up addresses cannot fill the cache.
        return None
    options = form.matrix_options()
    view = json.dumps(
        [
            matrix.mode,
            matrix.faculty,
            options["category"],
            options["validated"],
            bool(form["at_risk"].value()),  # as the table's caption reads it
            options["at_risk_only"],
            matrix.current_unit,
            context["keep"],
            today.isoformat(),
        ]
    )
    return versions.cached(
        f"skills.matrix-table:{hashlib.sha256(view.encode()).hexdigest()[:24]}",
        depends_on=(SKILLS, PEOPLE),
        compute=lambda: mark_safe(  # noqa: S308 (written by the template, which escapes)
            render_to_string("skills/_matrix_table.html", context, request=request)
        ),
    )


@require_GET
@permission_required(permissions.can_view_skills)
def matrix_csv(request):
    """The matrix as shown, as CSV (cells a spreadsheet would run as formulas neutralised)."""
    _form, matrix = _matrix(request)
    filename = f"skills-matrix-{matrix.mode}-{timezone.localdate().isoformat()}.csv"
    return csv_response(
        filename,
        selectors.matrix_csv_header(matrix),
        selectors.matrix_csv_rows(matrix),
    )


def _skill_or_404(skill_id: int):
    skill = selectors.skill_by_pk(skill_id)
    if skill is None:
        raise Http404("No such skill.")
    return skill


@require_GET
@permission_required(permissions.can_view_skills)
def skill_detail(request, skill_id: int):
    """One skill: its risk in each faculty and department, who holds it, who can teach me."""
    skill = _skill_or_404(skill_id)
    page = selectors.skill_page(skill, request.user)
    return render(
        request,
        "skills/skill.html",
        {
            "page": page,
            "skill": skill,
            "asked": selectors.open_request_teacher_ids(page),
            "can_ask": permissions.can_review_own_skills(request.user),
        },
    )


def _back(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@require_POST
@permission_required(permissions.can_review_own_skills)
def want_to_learn(request, skill_id: int):
    """Mark or unmark the skill as one I want to learn."""
    skill = _skill_or_404(skill_id)
    wants = request.POST.get("wants") == "1"
    try:
        services.set_wants_to_learn(
            directory_rules.technician_of(request.user), skill, wants=wants, by=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            f"“{skill}” is on your list of skills to learn."
            if wants
            else f"“{skill}” is no longer on your list of skills to learn.",
        )
    return _back(request, reverse("technicians:skill", args=[skill.pk]))


@require_POST
@permission_required(permissions.can_review_own_skills)
def request_shadowing(request, skill_id: int):
    """Ask a colleague who can train others in this skill to let me shadow them."""
    skill = _skill_or_404(skill_id)
    form = ShadowingRequestForm(request.POST)
    teacher = selectors.technician_by_pk(form.cleaned_data["teacher"]) if form.is_valid() else None
    # A colleague the user may not see does not exist, as far as they can tell.
    if teacher is None or not directory_rules.can_view_technician(request.user, teacher):
        raise Http404("No such colleague.")
    try:
        services.request_shadowing(teacher, skill, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            f"Your request has been sent to {teacher.full_name}. You will hear when they answer.",
        )
    return redirect("technicians:skill", skill.pk)


@require_GET
@permission_required(permissions.can_review_own_skills)
def shadowing(request):
    """Shadowing asked of me (waiting first) and asked by me."""
    asked_of_me, asked_by_me = selectors.shadowing_for(directory_rules.technician_of(request.user))
    return render(
        request,
        "skills/shadowing.html",
        {
            "asked_of_me": asked_of_me,
            "asked_by_me": asked_by_me,
            "decision_form": ShadowingDecisionForm(),
        },
    )


SHADOWING_TRANSITIONS = {
    "accept": (services.accept_shadowing, "You accepted the request.", True),
    "decline": (services.decline_shadowing, "You declined the request.", True),
    "cancel": (services.cancel_shadowing, "You cancelled your request.", False),
    "done": (services.complete_shadowing, "The shadowing is recorded as done.", False),
}


@require_POST
@permission_required(permissions.can_view_skills)
def shadowing_transition(request, pk: int, action: str):
    """accept | decline (the teacher), cancel (the learner), done (either of them)."""
    transition = SHADOWING_TRANSITIONS.get(action)
    shadowing_request = selectors.shadowing_by_pk(pk)
    if transition is None or shadowing_request is None:
        raise Http404("No such request.")
    me = directory_rules.technician_of(request.user)
    if me is None or me.pk not in (shadowing_request.learner_id, shadowing_request.teacher_id):
        raise Http404("No such request.")  # other people's requests are not to be probed
    service, success, takes_note = transition
    form = ShadowingDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if takes_note:
            service(shadowing_request, by=request.user, note=note)
        else:
            service(shadowing_request, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return redirect("technicians:shadowing")


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_skills)
def review(request):
    """My skills, stale ones first, to confirm; my team's skills to validate."""
    me = directory_rules.technician_of(request.user)
    mine = me if me is not None and permissions.can_review_own_skills(request.user) else None
    if request.method == "POST":
        deny_unless(request, mine is not None)
        count = services.confirm_skills(mine, by=request.user)
        messages.success(
            request,
            f"You confirmed {count} skill{'s' if count != 1 else ''}. "
            "Thank you: they are up to date for another year.",
        )
        return redirect("technicians:skills_review")
    my_rows = selectors.my_skills(mine) if mine is not None else []
    team_rows = selectors.team_skills(mine) if mine is not None else []
    return render(
        request,
        "skills/review.html",
        {
            "me": mine,
            "my_rows": my_rows,
            "stale_count": sum(1 for row in my_rows if row.is_stale),
            "team_rows": team_rows,
            "level_choices": selectors.LEVEL_CHOICES,
        },
    )


@require_POST
@permission_required(permissions.can_view_skills)
def validate(request, pk: int):
    """A line manager validates a team member's level."""
    row = selectors.technician_skill_by_pk(pk)
    if row is None or not directory_rules.manages(request.user, row.technician):
        raise Http404("No such skill rating in your team.")
    form = ValidateSkillForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a level from 1 (aware) to 4 (can train others).")
        return redirect("technicians:skills_review")
    try:
        services.validate_skill(row, level=form.cleaned_data["level"], by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, f"You validated {row.technician.full_name}'s level in “{row.skill}”."
        )
    return redirect(f"{reverse('technicians:skills_review')}#team")


@require_GET
@permission_required(permissions.can_view_skill_demand)
def demand(request):
    """The skills most wanted, against the people able to teach them."""
    return render(
        request,
        "skills/demand.html",
        {"skills": selectors.skill_demand()},
    )


@require_GET
@permission_required(permissions.can_view_skills)
def risks(request):
    """Every unit's declared need that is not met, worst first, with the numbers."""
    return render(request, "skills/risks.html", {"risks": selectors.worst_risks(limit=None)})


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_skill_needs)
def needs(request):
    """HR and the steering group: the skills a department or faculty needs, and how many
    holders it wants (risk is judged only against these). Without a unit: the units."""
    department = selectors.department_for_filter(request.GET.get("department"))
    faculty = "" if department else selectors.faculty_for_filter(request.GET.get("faculty"))
    if department is None and not faculty:
        return render(request, "skills/needs.html", {"units": selectors.units_with_needs()})
    unit = {"department": department, "faculty": faculty}
    form = UnitNeedsForm(
        request.POST if request.method == "POST" else None,
        skills=selectors.all_skills(),
        current=selectors.current_needs(**unit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.set_unit_skill_needs(**unit, needs=form.needs(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Saved the needs of {department or faculty}: {counts['added']} added, "
                f"{counts['changed']} changed, {counts['removed']} removed.",
            )
            return redirect(request.get_full_path())
    return render(
        request,
        "skills/needs.html",
        {"form": form, "department": department, "faculty": faculty},
    )
