"""Who looked (UK GDPR): another person's pathway page or evidence pack is written to the
access log as a typed event, which HR reads on the person's access log; one's own is not."""

import pytest

from careers.views import EVIDENCE_PACK_TAKEN, PATHWAY_VIEWED
from portal.models import AuditEvent


def logged(subject):
    return list(
        AuditEvent.objects.filter(subject_id=subject.pk)
        .order_by("pk")
        .values_list("kind", "actor__email", "detail")
    )


@pytest.mark.django_db
def test_a_managers_and_hrs_look_at_a_pathway_and_pack_are_logged(personas, login):
    alex = personas.technician_profile
    assert login(personas.manager).get(f"/careers/people/{alex.pk}/").status_code == 200
    pdf = login(personas.hr).get(f"/careers/people/{alex.pk}/evidence-pack.pdf")
    assert pdf.status_code == 200
    assert logged(alex) == [
        (AuditEvent.Kind.PROFILE_VIEWED, personas.manager.email, {"what": PATHWAY_VIEWED}),
        (
            AuditEvent.Kind.PERSONAL_DATA_EXPORTED,
            personas.hr.email,
            {"what": EVIDENCE_PACK_TAKEN},
        ),
    ]
    # HR reads both on Alex's access log.
    page = login(personas.hr).get(f"/technicians/{alex.pk}/access-log/").content.decode()
    assert PATHWAY_VIEWED in page and EVIDENCE_PACK_TAKEN in page


@pytest.mark.django_db
def test_looking_at_ones_own_pathway_and_pack_is_not_logged(personas, login):
    alex = personas.technician_profile
    client = login(personas.technician)
    assert client.get(f"/careers/people/{alex.pk}/").status_code == 200
    assert client.get(f"/careers/people/{alex.pk}/evidence-pack.pdf").status_code == 200
    assert client.get("/careers/me/").status_code == 200
    assert logged(alex) == []


@pytest.mark.django_db
def test_a_refused_look_is_not_logged(personas, login):
    alex = personas.technician_profile
    assert login(personas.steering).get(f"/careers/people/{alex.pk}/").status_code == 404
    assert (
        login(personas.steering).get(f"/careers/people/{alex.pk}/evidence-pack.pdf").status_code
        == 404
    )
    assert logged(alex) == []
