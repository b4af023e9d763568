"""Pages of the technician voice. Thin: the rules are in services, permissions and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.csv_export import csv_response
from portal.decorators import deny_unless, permission_required
from portal.forms import call_service
from technicians.permissions import technician_of
from voice import permissions, selectors, services
from voice.forms import (
    AnswerForm,
    CopySurveyForm,
    QuestionForm,
    ResultActionForm,
    SurveyForm,
    action_initial,
    question_field_name,
)
from voice.models import Question, Survey
from voice.reports import development_report_pdf

MANAGERS_ONLY = "Surveys are run by the steering group and HR."


def _survey(pk: int) -> Survey:
    survey = selectors.survey_by_pk(pk)
    if survey is None:
        raise Http404("No such survey.")
    return survey


def _grouping(request) -> str:
    by = request.GET.get("by", "department")
    return by if by in selectors.UNIT_KINDS else "department"


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
def survey_list(request):
    return render(request, "voice/list.html", {"surveys": selectors.surveys_for_managers()})


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
@require_http_methods(["GET", "POST"])
def survey_create(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        departments = data.pop("departments")
        survey = call_service(
            form, services.create_survey, by=request.user, departments=departments, **data
        )
        if survey is not None:
            messages.success(request, "Survey created: now add its questions.")
            return redirect("voice:detail", pk=survey.pk)
    return render(request, "voice/survey_form.html", {"form": form})


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk: int):
    survey = _survey(pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        departments = data.pop("departments")
        done = call_service(
            form, services.update_survey, survey, by=request.user, departments=departments, **data
        )
        if done is not None:
            messages.success(request, "Survey saved.")
            return redirect("voice:detail", pk=survey.pk)
    return render(request, "voice/survey_form.html", {"form": form, "survey": survey})


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
def survey_detail(request, pk: int):
    survey = _survey(pk)
    return render(
        request,
        "voice/detail.html",
        {
            "survey": survey,
            "questions": selectors.questions_of(survey),
            "rates": selectors.response_rates(survey),
            "question_form": QuestionForm(),
        },
    )


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
@require_POST
def question_add(request, pk: int):
    survey = _survey(pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        question = call_service(
            form, services.add_question, survey, by=request.user, **form.cleaned_data
        )
        if question is not None:
            messages.success(request, "Question added.")
            return redirect("voice:detail", pk=survey.pk)
    return render(
        request,
        "voice/detail.html",
        {
            "survey": survey,
            "questions": selectors.questions_of(survey),
            "rates": selectors.response_rates(survey),
            "question_form": form,
        },
        status=400,
    )


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int, question_pk: int):
    survey = _survey(pk)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                services.remove_question(question, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Question removed.")
            return redirect("voice:detail", pk=survey.pk)
        if form.is_valid():
            done = call_service(
                form, services.update_question, question, by=request.user, **form.cleaned_data
            )
            if done is not None:
                messages.success(request, "Question saved.")
                return redirect("voice:detail", pk=survey.pk)
    return render(request, "voice/question_form.html", {"form": form, "survey": survey})


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
@require_http_methods(["GET", "POST"])
def survey_copy(request, pk: int):
    source = _survey(pk)
    form = CopySurveyForm(request.POST or None, initial={"title": f"{source.title} (copy)"})
    if request.method == "POST" and form.is_valid():
        survey = call_service(
            form, services.copy_survey, source, by=request.user, **form.cleaned_data
        )
        if survey is not None:
            messages.success(request, "Survey copied with its questions: results will compare.")
            return redirect("voice:detail", pk=survey.pk)
    return render(request, "voice/copy.html", {"form": form, "source": source})


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
@require_POST
def survey_invite(request, pk: int):
    survey = _survey(pk)
    try:
        sent = services.invite(survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if sent:
            messages.success(request, f"{sent:,} invitation{'s' if sent != 1 else ''} sent.")
        else:
            messages.info(request, "Everyone in the audience has been invited already.")
    return redirect("voice:detail", pk=survey.pk)


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
def survey_results(request, pk: int):
    survey = _survey(pk)
    by = _grouping(request)
    return render(
        request,
        "voice/results.html",
        {
            "survey": survey,
            "by": by,
            "results": selectors.survey_results(survey, by=by),
            "rates": selectors.response_rates(survey, by=by),
            "min_group": selectors.min_group(),
        },
    )


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
def survey_results_csv(request, pk: int):
    survey = _survey(pk)
    by = _grouping(request)
    return csv_response(
        f"survey-{survey.pk}-results-by-{by}.csv",
        selectors.CSV_HEADER,
        selectors.csv_rows(survey, by=by),
    )


@permission_required(permissions.can_manage_surveys, reason=MANAGERS_ONLY)
@require_http_methods(["GET", "POST"])
def result_action(request, pk: int, question_pk: int):
    survey = _survey(pk)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    form = ResultActionForm(request.POST or None, initial=action_initial(question))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        plan = data.pop("plan")
        action = call_service(
            form,
            services.create_action_from_result,
            survey,
            by=request.user,
            plan=plan,
            question=question,
            **data,
        )
        if action is not None:
            messages.success(request, f"Action {action.ref} added to {plan.title}.")
            return redirect("voice:results", pk=survey.pk)
    return render(
        request, "voice/action_form.html", {"form": form, "survey": survey, "question": question}
    )


# --- answering, with no account -------------------------------------------------------------


def _answer_errors_to_fields(form: AnswerForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    by_pk = {str(question.pk): question for question in form.questions}
    for key, errors in error.error_dict.items():
        question = by_pk.get(key)
        name = question_field_name(question) if question else None
        if name in form.fields:
            form.add_error(name, errors)
        else:
            form.add_error(None, errors)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    """The survey from the e-mailed link. Signed in or not: the token is the key."""
    try:
        invitation = services.open_invitation(token)
    except ValidationError as error:
        return render(
            request, "voice/answer_closed.html", {"reason": " ".join(error.messages)}, status=410
        )
    survey = invitation.survey
    questions = selectors.questions_of(survey)
    draft = None if survey.anonymous else selectors.draft_of(invitation)
    skills = selectors.skills_for(invitation.technician, draft=draft, questions=questions)
    initial = selectors.draft_initial(draft) if draft else {}
    saving = request.method == "POST" and "save" in request.POST and not survey.anonymous
    form = AnswerForm(
        request.POST or None, questions=questions, skills=skills, initial=initial, drafting=saving
    )
    if request.method == "POST" and form.is_valid():
        try:
            if saving:
                services.save_draft(token, form.answers())
            else:
                services.answer(token, form.answers())
        except ValidationError as error:
            _answer_errors_to_fields(form, error)
        else:
            if saving:
                messages.success(request, "Your answers are saved. Come back with the same link.")
                return redirect("voice:answer", token=token)
            return render(request, "voice/answer_thanks.html", {"survey": survey})
    return render(
        request,
        "voice/answer.html",
        {
            "survey": survey,
            "form": form,
            "questions": questions,
            "min_group": selectors.min_group(),
        },
        status=400 if form.errors else 200,
    )


# --- development reports -------------------------------------------------------------------


@permission_required(permissions.can_see_my_reports, reason="Development reports are technicians'.")
def my_reports(request):
    me = technician_of(request.user)
    return render(
        request,
        "voice/my_reports.html",
        {"reports": selectors.my_reports(me), "team": selectors.team_reports(me)},
    )


def _response(request, pk) -> object:
    response = selectors.response_by_pk(pk)
    if response is None:
        raise Http404("No such report.")
    deny_unless(request, permissions.can_read_report(request.user, response))
    return response


@permission_required(permissions.can_see_my_reports, reason="Development reports are technicians'.")
def report_pdf(request, pk):
    response = _response(request, pk)
    pdf = development_report_pdf(response)
    result = HttpResponse(pdf, content_type="application/pdf")
    result["Content-Disposition"] = (
        f'attachment; filename="development-report-{response.survey_id}.pdf"'
    )
    result["Cache-Control"] = "private, no-store"
    return result


@permission_required(permissions.can_see_my_reports, reason="Development reports are technicians'.")
@require_POST
def report_share(request, pk):
    response = _response(request, pk)
    services.share_report(response, by=request.user, shared=request.POST.get("shared") == "1")
    messages.success(
        request,
        "Your line manager can now read this report."
        if request.POST.get("shared") == "1"
        else "Your line manager can no longer read this report.",
    )
    return redirect("voice:my_reports")
