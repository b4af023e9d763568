"""Read-only queries of the technician voice, and the rules that keep results anonymous.

**The threshold.** A group's figures are shown only when at least `VOICE_MIN_GROUP` people are
in it. Hiding the small groups is not enough: with the total shown, a hidden group's figures
would be the total minus the shown ones. So units are first made into *atoms*:
- each department with at least the threshold is an atom;
- the rest form "Other units", and while that group is non-empty but below the threshold the
  smallest shown department joins it (so it is either empty or large enough);
- when the whole survey is below the threshold, nothing is shown at all.
Grouping by faculty shows a faculty only when every department of it that has answers is an
atom of its own: the faculty is then a union of atoms, and "Other units" the union of the rest.
Every figure the portal shows (overall, by department, by faculty) is therefore a sum of atoms,
each of which holds at least the threshold, and no difference of shown figures isolates a
smaller group.
"""

from __future__ import annotations

import datetime
import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from voice.models import Answer, Invitation, Question, Response, ResultAction, Survey

OTHER_UNITS = "Other units"
UNIT_KINDS = ("department", "faculty")


def min_group() -> int:
    return int(settings.VOICE_MIN_GROUP)


# --- lists --------------------------------------------------------------------------------


def _invitations_counted(**condition) -> Subquery:
    counted = (
        Invitation.objects.filter(survey=OuterRef("pk"), **condition)
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def surveys_for_managers() -> QuerySet[Survey]:
    """Surveys, newest first, with how many were invited and have answered: counted for each
    survey shown (a subquery on the invitation index), not by grouping every invitation."""
    return Survey.objects.annotate(
        invited=_invitations_counted(), answered=_invitations_counted(answered=True)
    ).order_by("-opens_on", "-pk")


def survey_by_pk(pk: int) -> Survey | None:
    return Survey.objects.filter(pk=pk).first()


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.select_related("copied_from").order_by("order", "pk"))


def previous_surveys(survey: Survey | None = None) -> QuerySet[Survey]:
    surveys = Survey.objects.order_by("-opens_on", "-pk")
    return surveys.exclude(pk=survey.pk) if survey is not None else surveys


def my_reports(technician) -> QuerySet[Response]:
    """The person's submitted named responses: each has a development report."""
    return (
        Response.objects.filter(
            technician=technician, anonymous=False, status=Response.Status.SUBMITTED
        )
        .select_related("survey")
        .order_by("-submitted_on")
    )


def team_reports(manager) -> QuerySet[Response]:
    """Reports the manager's team chose to share."""
    return (
        Response.objects.filter(
            technician__line_manager=manager,
            technician__is_active=True,
            anonymous=False,
            status=Response.Status.SUBMITTED,
            shared_with_manager=True,
        )
        .select_related("survey", "technician")
        .order_by("technician__last_name", "-submitted_on")
    )


def response_by_pk(pk) -> Response | None:
    return (
        Response.objects.select_related(
            "survey", "technician__department", "technician__line_manager"
        )
        .filter(pk=pk)
        .first()
    )


# --- anonymity: atoms of units --------------------------------------------------------------


@dataclass
class Atoms:
    """Departments shown on their own, and which department each respondent's group is in."""

    shown: dict[str, int]  # department -> respondents
    other: int
    total: int
    visible: bool  # the whole group reaches the threshold

    def group_of(self, department: str) -> str:
        return department if department in self.shown else OTHER_UNITS


def make_atoms(department_counts: dict[str, int]) -> Atoms:
    threshold = min_group()
    total = sum(department_counts.values())
    if total < threshold:
        return Atoms(shown={}, other=total, total=total, visible=False)
    shown = {unit: n for unit, n in department_counts.items() if n >= threshold}
    other = total - sum(shown.values())
    # Secondary suppression: an "Other units" group with a few people in it would be the
    # total minus the shown units; the smallest shown units join it until it is big enough.
    while 0 < other < threshold and shown:
        smallest = min(shown, key=lambda unit: (shown[unit], unit))
        other += shown.pop(smallest)
    return Atoms(shown=shown, other=other, total=total, visible=True)


def faculty_groups(atoms: Atoms, faculty_of: dict[str, str], departments_present: set[str]):
    """Faculty -> its departments, for faculties made wholly of shown departments."""
    by_faculty: dict[str, set[str]] = defaultdict(set)
    for department in departments_present:
        by_faculty[faculty_of.get(department, "")].add(department)
    return {
        faculty: members
        for faculty, members in by_faculty.items()
        if faculty and all(member in atoms.shown for member in members)
    }


def _group_key(by: str, atoms: Atoms, faculties: dict[str, set[str]], faculty_of: dict[str, str]):
    if by == "department":
        return atoms.group_of
    shown_faculties = set(faculties)

    def key(department: str) -> str:
        faculty = faculty_of.get(department, "")
        return faculty if faculty in shown_faculties else OTHER_UNITS

    return key


# --- results of one question -----------------------------------------------------------------


def _submitted_answers() -> QuerySet[Answer]:
    return Answer.objects.filter(response__status=Response.Status.SUBMITTED).select_related(
        "response"
    )


def _answers(question: Question) -> list[Answer]:
    return list(_submitted_answers().filter(question=question))


def answers_by_question(questions: Iterable[Question]) -> dict[int, list[Answer]]:
    """Every submitted answer to these questions, read in one query, by question."""
    ids = {question.pk for question in questions}
    grouped: dict[int, list[Answer]] = {pk: [] for pk in ids}
    if ids:
        for answer in _submitted_answers().filter(question_id__in=ids):
            grouped[answer.question_id].append(answer)
    return grouped


def with_sources(questions: list[Question]) -> list[Question]:
    """The questions and those they were copied from (for the year-on-year change)."""
    sources = [
        question.copied_from
        for question in questions
        if question.copied_from is not None and question.is_numeric
    ]
    return [*questions, *sources]


def _aggregate(question: Question, answers: list[Answer]) -> dict[str, Any]:
    result: dict[str, Any] = {"respondents": len(answers)}
    if question.kind in (Question.Kind.LIKERT, Question.Kind.NUMBER):
        numbers = [answer.number for answer in answers if answer.number is not None]
        result["mean"] = round(float(statistics.fmean(numbers)), 2) if numbers else None
        if question.kind == Question.Kind.LIKERT:
            counts = Counter(int(number) for number in numbers)
            result["distribution"] = {point: counts.get(point, 0) for point in range(1, 6)}
    elif question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        counts = Counter(value for answer in answers for value in answer.values)
        result["distribution"] = {choice: counts.get(choice, 0) for choice in question.choices}
    elif question.kind == Question.Kind.SKILLS:
        wanted = Counter(
            row["skill"] for answer in answers for row in answer.values if row.get("wants_to_learn")
        )
        result["wants_to_learn"] = dict(wanted.most_common(10))
    return result


def results_by_unit(
    survey: Survey,
    question: Question,
    *,
    by: str = "department",
    answers: list[Answer] | None = None,
) -> list[dict]:
    """One dict per unit with `unit` (its name), `respondents` and the aggregates (`mean`,
    `distribution`), only for units of at least VOICE_MIN_GROUP respondents; smaller ones are
    merged into "Other units", itself shown only if it reaches the threshold. `answers` are the
    question's submitted answers when the caller has already read them."""
    if by not in UNIT_KINDS:
        raise ValueError(f"Results are grouped by department or faculty, not {by!r}.")
    if question.survey_id != survey.pk:
        raise ValueError("That question belongs to another survey.")
    if answers is None:
        answers = _answers(question)
    department_counts = Counter(answer.response.department_name for answer in answers)
    atoms = make_atoms(department_counts)
    if not atoms.visible:
        return []
    faculty_of = {answer.response.department_name: answer.response.faculty for answer in answers}
    faculties = faculty_groups(atoms, faculty_of, set(department_counts))
    key = _group_key(by, atoms, faculties, faculty_of)
    grouped: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        grouped[key(answer.response.department_name)].append(answer)
    rows = []
    for unit in sorted(grouped, key=lambda name: (name == OTHER_UNITS, name)):
        members = grouped[unit]
        if len(members) < min_group():  # never true of a union of atoms; kept as a guard
            continue
        rows.append({"unit": unit or "No department", **_aggregate(question, members)})
    return rows


def overall(question: Question, *, answers: list[Answer] | None = None) -> dict[str, Any] | None:
    """The whole survey's figures for a question, or None below the threshold."""
    if answers is None:
        answers = _answers(question)
    if len(answers) < min_group():
        return None
    return _aggregate(question, answers)


def free_text(
    question: Question, *, seed: Any = None, answers: list[Answer] | None = None
) -> list[str]:
    """Free-text answers, only when at least the threshold answered, in random order."""
    if answers is None:
        answers = _answers(question)
    texts = [answer.text for answer in answers if answer.text]
    if len(texts) < min_group():
        return []
    random.Random(seed).shuffle(texts)
    return texts


def change_since_copy(
    question: Question, *, answers: dict[int, list[Answer]] | None = None
) -> float | None:
    """This year's mean minus the mean of the question it was copied from (both must reach the
    threshold), for Likert and number questions. `answers` (by question, as
    `answers_by_question` returns them) must then hold both questions' answers."""
    source = question.copied_from
    if source is None or not question.is_numeric:
        return None
    if answers is None:
        answers = answers_by_question([question, source])
    now = overall(question, answers=answers[question.pk])
    before = overall(source, answers=answers[source.pk])
    if not now or not before or now.get("mean") is None or before.get("mean") is None:
        return None
    return round(now["mean"] - before["mean"], 2)


# --- response rates ----------------------------------------------------------------------------


def response_rates(survey: Survey, *, by: str = "department") -> dict[str, Any]:
    """Invited and answered, overall and by unit, with the threshold applied to who answered."""
    invitations = list(
        Invitation.objects.filter(survey=survey).values("department_name", "faculty", "answered")
    )
    invited = len(invitations)
    answered_by_department = Counter(
        row["department_name"] for row in invitations if row["answered"]
    )
    answered = sum(answered_by_department.values())
    atoms = make_atoms(answered_by_department)
    faculty_of = {row["department_name"]: row["faculty"] for row in invitations}
    faculties = faculty_groups(atoms, faculty_of, set(answered_by_department))
    key = _group_key(by, atoms, faculties, faculty_of)
    units: dict[str, dict[str, int]] = defaultdict(lambda: {"invited": 0, "answered": 0})
    for row in invitations:
        group = (
            key(row["department_name"])
            if row["department_name"] in answered_by_department
            else OTHER_UNITS
        )
        units[group]["invited"] += 1
        units[group]["answered"] += int(row["answered"])
    rows = []
    if atoms.visible:
        for unit in sorted(units, key=lambda name: (name == OTHER_UNITS, name)):
            counts = units[unit]
            if counts["answered"] < min_group():
                continue
            rows.append(
                {
                    "unit": unit or "No department",
                    "invited": counts["invited"],
                    "answered": counts["answered"],
                    "rate": round(100 * counts["answered"] / counts["invited"])
                    if counts["invited"]
                    else 0,
                }
            )
    return {
        "invited": invited,
        "answered": answered,
        "rate": round(100 * answered / invited) if invited else None,
        "units": rows,
    }


# --- the results page and the CSV ------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    overall: dict[str, Any] | None
    units: list[dict[str, Any]]
    change: float | None
    texts: list[str] = field(default_factory=list)
    actions: list[ResultAction] = field(default_factory=list)


def survey_results(survey: Survey, *, by: str = "department") -> list[QuestionResult]:
    """Every question's results, from three queries whatever the number of questions and
    answers: the actions made from results, the questions, and every answer (with those of the
    questions they were copied from) read once."""
    links = defaultdict(list)
    for link in ResultAction.objects.filter(survey=survey).select_related("action__plan"):
        links[link.question_id].append(link)
    questions = questions_of(survey)
    answers = answers_by_question(with_sources(questions))
    results = []
    for question in questions:
        mine = answers[question.pk]
        results.append(
            QuestionResult(
                question=question,
                overall=overall(question, answers=mine),
                units=results_by_unit(survey, question, by=by, answers=mine),
                change=change_since_copy(question, answers=answers),
                texts=free_text(question, answers=mine)
                if question.kind == Question.Kind.TEXT
                else [],
                actions=links.get(question.pk, []),
            )
        )
    return results


def csv_rows(survey: Survey, *, by: str = "department") -> list[list[Any]]:
    """Aggregates only: never an individual answer, never free text."""
    rows = []
    questions = [
        question
        for question in questions_of(survey)
        if question.kind not in (Question.Kind.TEXT, Question.Kind.SKILLS)
    ]
    answers = answers_by_question(questions)
    for question in questions:
        groups = []
        whole = overall(question, answers=answers[question.pk])
        if whole:
            groups.append({"unit": "All respondents", **whole})
        groups += results_by_unit(survey, question, by=by, answers=answers[question.pk])
        for group in groups:
            distribution = group.get("distribution") or {}
            rows.append(
                [
                    question.order,
                    question.text,
                    question.get_pillar_display() if question.pillar else "",
                    group["unit"],
                    group["respondents"],
                    "" if group.get("mean") is None else group["mean"],
                    "; ".join(f"{option}: {count}" for option, count in distribution.items()),
                ]
            )
    return rows


CSV_HEADER = ["question", "text", "pillar", "unit", "respondents", "mean", "distribution"]


# --- evidence for the self-assessment and the annual report -------------------------------------


def surveys_between(start: datetime.date, end: datetime.date) -> list[Survey]:
    return list(
        Survey.objects.filter(closes_on__gte=start, opens_on__lte=end).order_by("opens_on", "pk")
    )


def voice_evidence(start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    """The surveys of a period with response rates, headline results (Likert means that reach
    the threshold) and the actions they led to."""
    evidence = []
    for survey in surveys_between(start, end):
        rates = response_rates(survey)
        headlines = []
        questions = [
            question for question in questions_of(survey) if question.kind == Question.Kind.LIKERT
        ]
        answers = answers_by_question(with_sources(questions))
        for question in questions:
            figures = overall(question, answers=answers[question.pk])
            if figures and figures.get("mean") is not None:
                headlines.append(
                    {
                        "question": question.text,
                        "pillar": question.pillar,
                        "mean": figures["mean"],
                        "respondents": figures["respondents"],
                        "change": change_since_copy(question, answers=answers),
                    }
                )
        actions = [
            {
                "ref": link.action.ref,
                "title": link.action.title,
                "status": link.action.get_status_display(),
            }
            for link in ResultAction.objects.filter(survey=survey).select_related("action")
        ]
        evidence.append(
            {
                "survey": survey.title,
                "anonymous": survey.anonymous,
                "closes_on": survey.closes_on,
                "invited": rates["invited"],
                "answered": rates["answered"],
                "rate": rates["rate"],
                "headlines": headlines,
                "actions": actions,
            }
        )
    return evidence


def pillar_headlines(start: datetime.date, end: datetime.date) -> dict[str, list[dict]]:
    """Pillar -> headline results of tagged Likert questions in the period."""
    by_pillar: dict[str, list[dict]] = defaultdict(list)
    for item in voice_evidence(start, end):
        for headline in item["headlines"]:
            if headline["pillar"]:
                by_pillar[headline["pillar"]].append({"survey": item["survey"], **headline})
    return dict(by_pillar)


def answers_of(response: Response) -> list[tuple[Question, Answer | None]]:
    answers = {answer.question_id: answer for answer in response.answers.all()}
    return [(question, answers.get(question.pk)) for question in questions_of(response.survey)]


def number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


# --- answering ---------------------------------------------------------------------------------


def draft_of(invitation: Invitation) -> Response | None:
    """A named survey's saved answers (never looked for in an anonymous one)."""
    if invitation.survey.anonymous:
        return None
    return (
        Response.objects.filter(survey=invitation.survey, technician=invitation.technician)
        .prefetch_related("answers")
        .first()
    )


def draft_initial(response: Response) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for answer in response.answers.select_related("question"):
        name, kind = f"q{answer.question_id}", answer.question.kind
        if kind in (Question.Kind.LIKERT,):
            initial[name] = int(answer.number) if answer.number is not None else None
        elif kind == Question.Kind.NUMBER:
            initial[name] = answer.number
        elif kind == Question.Kind.TEXT:
            initial[name] = answer.text
        elif kind == Question.Kind.SINGLE:
            initial[name] = answer.values[0] if answer.values else None
        elif kind == Question.Kind.MULTIPLE:
            initial[name] = list(answer.values)
    return initial


def skills_for(technician, *, draft: Response | None, questions: list[Question]) -> list[dict]:
    """The person's skills at their levels, for a skills self-rating question (a saved draft's
    ratings win)."""
    if not any(question.kind == Question.Kind.SKILLS for question in questions):
        return []
    from skills.models import TechnicianSkill

    rows = {
        held.skill_id: {
            "id": held.skill_id,
            "name": held.skill.name,
            "category": held.skill.category,
            "level": held.level,
            "wants_to_learn": held.wants_to_learn,
        }
        for held in TechnicianSkill.objects.filter(technician=technician)
        .select_related("skill")
        .order_by("skill__category", "skill__name")
    }
    if draft is not None:
        for answer in draft.answers.filter(question__kind=Question.Kind.SKILLS):
            for row in answer.values if isinstance(answer.values, list) else []:
                if isinstance(row, dict) and row.get("skill") in rows:
                    rows[row["skill"]]["level"] = row.get("level", 0)
                    rows[row["skill"]]["wants_to_learn"] = bool(row.get("wants_to_learn"))
    return list(rows.values())


# --- the development report ------------------------------------------------------------------


def skill_names() -> dict[int, str]:
    from skills.models import Skill

    return dict(Skill.objects.values_list("pk", "name"))


def answer_text(question: Question, answer: Answer | None) -> str:
    if answer is None:
        return "Not answered"
    if question.kind == Question.Kind.LIKERT and answer.number is not None:
        from voice.forms import LIKERT_LABELS

        return LIKERT_LABELS.get(int(answer.number), number_text(answer.number))
    if answer.number is not None:
        return number_text(answer.number)
    if answer.text:
        return answer.text
    return ", ".join(str(value) for value in answer.values)


def pathway_gap(technician) -> dict[str, Any] | None:
    """What the person's next band expects, each as met or not yet (careers' live judgement);
    None when they have no next band."""
    from careers import selectors as careers

    mine = careers.my_pathway(technician)
    if mine.placement.next_band is None:
        return None
    return {
        "band": str(mine.placement.next_band),
        "met": mine.met,
        "total": mine.total,
        "rows": [
            {"label": row.result.label, "met": row.result.met, "detail": row.result.detail}
            for row in mine.rows
        ],
    }


def training_summary(technician) -> dict[str, Any]:
    """This academic year's training days against the person's target (training's ledger)."""
    from training import selectors as training

    mine = training.my_training(technician)
    return {
        "year_label": mine.this_year.year,
        "total": mine.this_year.total,
        "target": mine.this_year.target,
        "rows": mine.this_year.rows,
        "on_track": mine.on_track,
    }


# --- the self-assessment's "Technician voice" ---------------------------------------------------


def self_assessment_period(submission) -> tuple[datetime.date, datetime.date]:
    """The surveys a submission speaks for: those of the plan it closes, else the three years
    before it is due."""
    plan = getattr(submission, "closes_plan", None)
    if plan is not None:
        return plan.starts_on, plan.ends_on
    return submission.due_on - datetime.timedelta(days=3 * 365), submission.due_on


def self_assessment_voice(submission, pillar: str) -> list[str]:
    """Paragraphs for one pillar: the period's surveys with their response rates, the results
    of questions tagged with the pillar, and the actions they led to (thresholds applied)."""
    start, end = self_assessment_period(submission)
    paragraphs = []
    for item in voice_evidence(start, end):
        rate = f" ({item['rate']} %)" if item["rate"] is not None else ""
        kind = "anonymous" if item["anonymous"] else "named"
        lines = [
            f"{item['survey']} ({kind}, closed {item['closes_on']:%-d %B %Y}): "
            f"{item['answered']:,} of {item['invited']:,} invited technicians answered{rate}."
        ]
        for headline in item["headlines"]:
            if headline["pillar"] != pillar:
                continue
            change = (
                f", {headline['change']:+.1f} on the year before"
                if headline["change"] is not None
                else ""
            )
            lines.append(
                f"“{headline['question']}”: a mean of {headline['mean']:.1f} out of 5 from "
                f"{headline['respondents']:,} people{change}."
            )
        if len(lines) > 1:
            if item["actions"]:
                lines.append(
                    "Actions it led to: "
                    + "; ".join(f"{a['ref']} {a['title']} ({a['status']})" for a in item["actions"])
                    + "."
                )
            paragraphs.append(" ".join(lines))
    return paragraphs
