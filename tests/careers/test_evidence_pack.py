"""The evidence pack shows what other apps register for it (portal.registry evidence pack
sections), in its real PDF bytes: the person's research outputs with their CRediT roles come
from recognition, which careers never imports."""

import io

import pytest
from pypdf import PdfReader

from portal import registry
from recognition.models import Contribution, Output
from tests import factories


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # pypdf splits some kerned words ("T echnician"): compare without white space.
    return "".join(text.split())


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.django_db
def test_the_pack_holds_the_persons_outputs_with_their_credit_roles(personas, login):
    alex = personas.technician_profile
    paper = Output.objects.create(title="Cryogenic NMR of membrane proteins", year=2025)
    data = Output.objects.create(
        title="Spectra of the 2024 campaign", year=2024, kind=Output.Kind.DATASET
    )
    Contribution.objects.create(
        output=paper, technician=alex, roles=["formal-analysis", "methodology"]
    )
    Contribution.objects.create(
        output=data,
        technician=alex,
        roles=["data-curation"],
        credit=Contribution.Credit.ACKNOWLEDGED,
    )
    # Not theirs: someone else's output, and an imported work they have not confirmed.
    other = factories.TechnicianFactory()
    Contribution.objects.create(
        output=Output.objects.create(title="Somebody else's paper", year=2025),
        technician=other,
        roles=["software"],
    )
    Contribution.objects.create(
        output=Output.objects.create(title="An unconfirmed import", year=2025),
        technician=alex,
        roles=["investigation"],
        confirmed=False,
    )
    for user in (personas.technician, personas.manager, personas.hr):
        text = pdf_text(login(user).get(f"/careers/people/{alex.pk}/evidence-pack.pdf"))
        assert squeezed("Research outputs and CRediT roles") in text
        assert squeezed("Cryogenic NMR of membrane proteins") in text
        assert squeezed("Formal analysis, Methodology") in text
        assert squeezed("Spectra of the 2024 campaign") in text
        assert squeezed("Acknowledged") in text and squeezed("Data curation") in text
        assert squeezed("Somebody else's paper") not in text
        assert squeezed("An unconfirmed import") not in text
        assert squeezed("Investigation") not in text
    # Newest first.
    assert text.index("CryogenicNMR") < text.index("Spectraofthe2024")


@pytest.mark.django_db
def test_a_person_without_outputs_is_told_so(personas, login):
    alex = personas.technician_profile
    text = pdf_text(login(personas.technician).get(f"/careers/people/{alex.pk}/evidence-pack.pdf"))
    assert squeezed("No research outputs recorded.") in text


@pytest.mark.django_db
def test_the_pack_renders_whatever_section_is_registered_in_order(personas, login, monkeypatch):
    monkeypatch.setattr(registry, "_evidence_pack_sections", {})
    registry.register_evidence_pack_section(
        registry.EvidencePackSection(
            name="later",
            order=20,
            build=lambda technician: registry.EvidenceTable(
                title="Second section",
                header=["Thing"],
                rows=[["Kept for " + technician.first_name]],
            ),
        )
    )
    registry.register_evidence_pack_section(
        registry.EvidencePackSection(
            name="earlier",
            order=10,
            build=lambda technician: registry.EvidenceTable(
                title="First section", header=["A", "B"], rows=[], empty="Nothing here yet."
            ),
        )
    )
    registry.register_evidence_pack_section(
        registry.EvidencePackSection(name="silent", build=lambda technician: None)
    )
    alex = personas.technician_profile
    text = pdf_text(login(personas.technician).get(f"/careers/people/{alex.pk}/evidence-pack.pdf"))
    assert "Firstsection" in text and "Nothinghereyet." in text
    assert squeezed(f"Kept for {alex.first_name}") in text
    assert text.index("Firstsection") < text.index("Secondsection")
    assert "Researchoutputs" not in text


def test_a_taken_section_name_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "_evidence_pack_sections", {})
    section = registry.EvidencePackSection(name="x", build=lambda technician: None)
    registry.register_evidence_pack_section(section)
    registry.register_evidence_pack_section(section)  # harmless again
    with pytest.raises(registry.AlreadyRegistered):
        registry.register_evidence_pack_section(
            registry.EvidencePackSection(name="x", build=lambda technician: None)
        )
