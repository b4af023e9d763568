"""The individual development report: one page for the person's appraisal, from a named
survey: their skills as they confirmed them, what they want to learn, their training days
against the target, and their answers."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from portal.periods import academic_year_label
from voice import selectors
from voice.models import Question, Response

PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def report_context(response: Response) -> dict[str, Any]:
    technician = response.technician
    answered = selectors.answers_of(response)
    skill_rows, others = [], []
    names = selectors.skill_names()
    for question, answer in answered:
        if question.kind == Question.Kind.SKILLS:
            for row in answer.values if answer else []:
                skill_rows.append({**row, "name": names.get(row["skill"], "A skill")})
        else:
            others.append((question, selectors.answer_text(question, answer)))
    confirmed = [row for row in skill_rows if row["level"]]
    wanted = [row for row in skill_rows if row.get("wants_to_learn")]
    return {
        "response": response,
        "technician": technician,
        "survey": response.survey,
        "confirmed": confirmed,
        "wanted": wanted,
        "answers": others,
        "training": selectors.training_summary(technician),
        "pathway": selectors.pathway_gap(technician),
        "year_label": academic_year_label(selectors.training_summary(technician)["year_label"]),
        "made_on": timezone.localdate(),
    }


def development_report_html(response: Response) -> str:
    return render_to_string("voice/development_report.html", report_context(response))


def development_report_pdf(response: Response) -> bytes:
    from weasyprint import HTML

    return HTML(string=development_report_html(response)).write_pdf(**PDF_OPTIONS)
