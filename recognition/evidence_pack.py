"""What recognition adds to a person's evidence pack for promotion, through the registry
(RecognitionConfig.ready()): their research outputs, each with the CRediT roles they played
and whether they were an author or acknowledged. The careers app renders it without naming
recognition."""

from __future__ import annotations

from portal.registry import EvidencePackSection, EvidenceTable
from recognition.models import Contribution


def outputs_section(technician) -> EvidenceTable | None:
    """The technician's confirmed outputs with their roles (one query), newest first."""
    contributions = list(
        Contribution.objects.filter(technician=technician, confirmed=True)
        .select_related("output")
        .order_by("-output__year", "output__title", "pk")
    )
    return EvidenceTable(
        title="Research outputs and CRediT roles",
        intro="Outputs the person contributed to, with their roles in the CRediT taxonomy.",
        header=["Year", "Output", "Credit", "CRediT roles"],
        rows=[
            [
                str(c.output.year),
                c.output.title + (f" ({c.output.link})" if c.output.link else ""),
                c.get_credit_display(),
                ", ".join(c.role_labels) or "—",
            ]
            for c in contributions
        ],
        empty="No research outputs recorded.",
    )


EVIDENCE_PACK_SECTION = EvidencePackSection(
    name="recognition.outputs", build=outputs_section, order=40
)
