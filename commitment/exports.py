"""The self-assessment as an accessible PDF (WeasyPrint, PDF/UA-1, as the annual report is
made) and as a Word document (python-docx) the institution can edit before it sends it.
Both are made from the one dict of `commitment.self_assessment`."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from commitment.reports.rendering import PDF_OPTIONS, RenderingUnavailable, load_weasyprint

__all__ = ["RenderingUnavailable", "docx_bytes", "pdf_bytes"]

SECTION_HEADINGS = (
    "Reflection on the previous plan",
    "Evidence of progress",
    "Technician voice",
    "Next steps",
)


def title_of(document: dict[str, Any]) -> str:
    return f"Technician Commitment self-assessment, stage {document['stage']}"


def filename(document: dict[str, Any], extension: str) -> str:
    return f"technician-commitment-self-assessment-stage-{document['stage']}.{extension}"


def pdf_bytes(document: dict[str, Any]) -> bytes:
    weasyprint = load_weasyprint()
    html = render_to_string(
        "commitment/self_assessment/pdf.html",
        {"document": document, "title": title_of(document), "headings": SECTION_HEADINGS},
    )
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**PDF_OPTIONS)


def _actions_table(doc, rows: list[dict[str, Any]], *, evidence: bool) -> None:
    header = ["Ref", "Action", "Status", "RAG", "Progress"] + (
        ["Evidence"] if evidence else ["Due"]
    )
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        values = [
            row["ref"],
            row["title"],
            row["status_label"],
            row["rag_label"],
            f"{row['progress']} %",
            "\n".join(row.get("evidence", [])) or "none" if evidence else row["due_on"],
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)


def docx_bytes(document: dict[str, Any]) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = title_of(document)
    doc.core_properties.author = document["institution"]
    doc.core_properties.language = "en-GB"
    doc.add_heading(title_of(document), level=0)
    doc.add_paragraph(
        f"{document['institution']}. Due {document['due_on']}"
        + (" (extended)" if document["extended"] else "")
        + f". Made {document['made_on']}."
    )
    doc.add_paragraph(
        f"Signed {document['signed_on']}, announced {document['announced_on']}. "
        f"Lead: {document['lead'] or 'not named'}. "
        f"Champion: {document['champion'] or 'not named'}. "
        f"Contact: {document['contact_email'] or 'none'}."
    )
    for pillar in document["pillars"]:
        doc.add_heading(pillar["label"], level=1)
        if pillar["aim"]:
            doc.add_paragraph(pillar["aim"])
        doc.add_heading(SECTION_HEADINGS[0], level=2)
        if pillar["previous_actions"]:
            _actions_table(doc, pillar["previous_actions"], evidence=True)
        else:
            doc.add_paragraph("The plan this submission closes has no actions for this pillar.")
        doc.add_paragraph(pillar["reflection"] or "Reflection to be written.")
        doc.add_heading(SECTION_HEADINGS[1], level=2)
        for figure in pillar["figures"]:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{figure['label']}: ").bold = True
            paragraph.add_run(
                f"{figure['text']} ({document['year_label']}); {document['previous_year_label']}: "
                f"{figure['previous_text']}, {figure['change_text']}. {figure['sentence']}"
            )
        doc.add_heading(SECTION_HEADINGS[2], level=2)
        doc.add_paragraph(pillar["voice"] or "No technician voice recorded yet.")
        for text in pillar["voice_evidence"]:
            doc.add_paragraph(text)
        for section in pillar["other_sections"]:
            doc.add_heading(section["title"], level=3)
            for text in section["paragraphs"]:
                doc.add_paragraph(text)
        doc.add_heading(SECTION_HEADINGS[3], level=2)
        if pillar["next_steps"]:
            _actions_table(doc, pillar["next_steps"], evidence=False)
        else:
            doc.add_paragraph("The new plan has no actions for this pillar yet.")
    doc.add_heading("The Commitment's minimum", level=1)
    for item in document["checklist"]:
        doc.add_paragraph(
            f"{'Met' if item['met'] else 'Not met'}: {item['item']}. {item['how']}",
            style="List Bullet",
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
