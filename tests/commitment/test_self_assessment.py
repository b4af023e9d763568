"""The self-assessment workspace: pre-filled from the plan it closes and the new plan, the
figures with their change, the voice hook, the checklist; the exports (.docx, PDF); and
submitting freezes the copy."""

import datetime
import io
import re

import pypdf
import pytest
import time_machine
from django.core.exceptions import ValidationError

from commitment import exports, hooks, self_assessment, services
from commitment.models import Submission
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db
PILLAR_HEADINGS = ["Visibility", "Recognition", "Career development", "Sustainability"]


@pytest.fixture(autouse=True)
def on_a_day():
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def plans():
    closing = factories.ActionPlanFactory(
        title="Plan 2024–27", starts_on=D(2024, 8, 1), ends_on=D(2027, 7, 31)
    )
    new = factories.ActionPlanFactory(
        title="Plan 2027–30",
        starts_on=D(2027, 8, 1),
        ends_on=D(2030, 7, 31),
        status="draft",
        previous=closing,
    )
    done = factories.ActionFactory(
        plan=closing,
        ref="V1",
        pillar="visibility",
        status="complete",
        progress=100,
        title="Public directory",
    )
    late = factories.ActionFactory(
        plan=closing,
        ref="S1",
        pillar="sustainability",
        status="in_progress",
        progress=30,
        due_on=D(2026, 12, 31),
        title="Skills matrix in every unit",
    )
    factories.ActionUpdateFactory(
        action=done,
        note="Internal: the web team was slow.",
        evidence_url="https://example.ac.uk/dir",
    )
    factories.ActionUpdateFactory(action=late, note="No evidence here.")
    factories.ActionFactory(plan=new, ref="V9", pillar="visibility", title="Case studies each term")
    return closing, new


@pytest.fixture
def drafting(personas, plans):
    commitment = services.save_commitment(
        by=personas.steering,
        signed_on=D(2023, 6, 1),
        announced_on=D(2023, 7, 1),
        lead=personas.steering,
        contact_email="tc@example.ac.uk",
        champion="Jo Rivers",
    )
    Submission.objects.filter(commitment=commitment, stage=1).update(
        status="reviewed", submitted_on=D(2024, 7, 20)
    )
    stage_2 = services.ensure_next_submission(commitment)
    assert (stage_2.stage, stage_2.due_on) == (2, D(2027, 7, 31))
    return services.start_drafting(stage_2, by=personas.steering)


def pillar(document, key):
    return next(p for p in document["pillars"] if p["pillar"] == key)


def test_the_prefill_matches_the_plan(drafting, plans):
    closing, new = plans
    assert (drafting.closes_plan, drafting.next_plan) == (closing, new)
    document = self_assessment.build(drafting)
    visibility = pillar(document, "visibility")
    assert visibility["previous_actions"] == [
        {
            "ref": "V1",
            "title": "Public directory",
            "status": "complete",
            "status_label": "Complete",
            "rag": "complete",
            "rag_label": "Complete",
            "progress": 100,
            "due_on": "31 July 2027",
            "evidence": ["https://example.ac.uk/dir"],
        }
    ]
    sustainability = pillar(document, "sustainability")
    assert [
        (a["ref"], a["rag_label"], a["progress"], a["evidence"])
        for a in sustainability["previous_actions"]
    ] == [("S1", "Red", 30, [])]
    assert [a["ref"] for a in visibility["next_steps"]] == ["V9"]
    assert pillar(document, "recognition")["previous_actions"] == []
    # Every figure with the year before and a sentence saying what it measures.
    figures = {figure["key"]: figure for figure in visibility["figures"]}
    assert "visibility.public_profiles" in figures
    assert all(figure["sentence"] for figure in figures.values())
    # The checklist is ticked from the data.
    checklist = {item["item"]: item["met"] for item in document["checklist"]}
    assert checklist["A named contact"] is True
    assert checklist["The action plan is published"] is True
    assert checklist["Evidence of the technician voice"] is False


def test_the_voice_app_can_fill_the_technician_voice(drafting, monkeypatch):
    def voice(submission, key):
        return [f"Survey says {key}."] if key == "recognition" else []

    # In place of the voice app's own registration, for this test only.
    monkeypatch.setattr(hooks, "_sections", {})
    hooks.register_self_assessment_voice(voice)
    document = self_assessment.build(drafting)
    assert pillar(document, "recognition")["voice_evidence"] == ["Survey says recognition."]
    assert {item["item"]: item["met"] for item in document["checklist"]}[
        "Evidence of the technician voice"
    ]


def test_submitting_freezes_the_copy(drafting, personas, plans):
    services.save_pillar(
        drafting,
        by=personas.steering,
        pillar="visibility",
        reflection="We did well.",
        voice="Forum notes.",
    )
    submitted = services.submit_submission(drafting, by=personas.steering)
    assert submitted.status == "submitted" and submitted.submitted_on == D(2027, 3, 1)
    frozen = self_assessment.document(submitted)
    assert pillar(frozen, "visibility")["reflection"] == "We did well."
    # Later changes to the plan do not reach the submitted copy.
    closing, _ = plans
    closing.actions.filter(ref="V1").update(title="Renamed later")
    submitted.refresh_from_db()
    assert (
        pillar(self_assessment.document(submitted), "visibility")["previous_actions"][0]["title"]
        == "Public directory"
    )
    with pytest.raises(ValidationError, match="can no longer change"):
        services.save_pillar(
            submitted, by=personas.steering, pillar="visibility", reflection="Edit"
        )
    with pytest.raises(ValidationError, match="can no longer change"):
        services.submit_submission(submitted, by=personas.steering)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.extend_submission(submitted, by=personas.steering)
    # The next stage is planned from the cycle.
    assert submitted.commitment.submissions.get(stage=3).due_on == D(2030, 7, 31)


def test_only_the_steering_group_and_hr_change_it(drafting, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_pillar(drafting, by=personas.technician, pillar="visibility", reflection="x")
    services.save_pillar(drafting, by=personas.hr, pillar="visibility", reflection="HR may.")


def test_the_docx_opens_and_holds_every_pillar_heading(drafting):
    from docx import Document

    data = exports.docx_bytes(self_assessment.build(drafting))
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for title in PILLAR_HEADINGS:
        assert title in headings
    for title in exports.SECTION_HEADINGS:
        assert headings.count(title) == 4
    assert doc.core_properties.title == "Technician Commitment self-assessment, stage 2"


def test_the_pdf_holds_every_pillar_and_section(drafting):
    data = exports.pdf_bytes(self_assessment.build(drafting))
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for title in PILLAR_HEADINGS + list(exports.SECTION_HEADINGS):
        assert re.sub(r"\s+", "", title) in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_the_export_views(drafting, personas, client):
    client.force_login(personas.steering)
    response = client.get(f"/commitment/self-assessment/{drafting.pk}/export.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('stage-2.docx"')
    response = client.get(f"/commitment/self-assessment/{drafting.pk}/export.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
