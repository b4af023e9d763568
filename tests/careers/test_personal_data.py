"""The careers part of a person's data (UK GDPR): the subject-access zip holds their statement,
band placement and mentoring, but never a pair's private meeting notes nor the preferences only
coordinators read; retention removes the free text."""

import datetime
import io
import json
import zipfile

import pytest

from careers import personal_data
from careers.models import (
    Band,
    BandOverride,
    CareerStatement,
    MentoringEvaluation,
    MentoringMeeting,
    MentoringPair,
    Pathway,
)
from portal import registry
from tests import factories
from tests.careers.conftest import apply, make_round


@pytest.fixture
def alex_in_careers(personas):
    alex = personas.technician_profile
    CareerStatement.objects.create(technician=alex, text="I run the NMR service.")
    band = Band.objects.create(
        pathway=Pathway.objects.create(name="Research"), order=1, name="Band 3"
    )
    BandOverride.objects.create(technician=alex, band=band, reason="Acting up since May.")
    round = make_round(name="Spring round")
    apply(
        round,
        alex,
        mentee=True,
        topics_text="Leading a small team",
        preferences_note="A mentor of the same gender.",
    )
    mira = factories.TechnicianFactory(first_name="Mira")
    pair = MentoringPair.objects.create(
        round=round,
        mentor=mira,
        mentee=alex,
        status=MentoringPair.Status.ACTIVE,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 7, 5),
    )
    MentoringMeeting.objects.create(
        pair=pair, date=datetime.date(2026, 2, 1), note="Talked about my manager."
    )
    MentoringEvaluation.objects.create(
        pair=pair, technician=alex, stage="end", usefulness=4, goals_met=3, comment="Helpful."
    )
    return alex, pair


@pytest.mark.django_db
def test_the_zip_holds_careers_data_but_no_private_notes(alex_in_careers, personas, login):
    response = login(personas.technician).get("/technicians/me/my-data.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    careers = json.loads(archive.read("data.json"))["sections"]["careers"]
    assert careers["statement"][0]["text"] == "I run the NMR service."
    assert careers["band_placement"][0]["reason"] == "Acting up since May."
    assert careers["mentoring_applications"][0]["topics_text"] == "Leading a small team"
    assert careers["mentoring_pairs"][0]["status"] == "active"
    assert careers["mentoring_meetings"][0]["date"] == "2026-02-01"
    assert careers["mentoring_evaluations"][0]["comment"] == "Helpful."
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "Talked about my manager." not in everything
    assert "A mentor of the same gender." not in everything
    assert "csv/careers-mentoring_pairs.csv" in archive.namelist()


@pytest.mark.django_db
def test_retention_removes_the_free_text_and_a_dry_run_changes_nothing(alex_in_careers):
    alex, pair = alex_in_careers
    assert registry.anonymisers()["careers"] is personal_data.anonymise
    said = [
        "1 career statement removed",
        "1 band placement removed",
        "1 mentoring application text removed",
        "1 mentoring meeting note removed",
        "1 mentoring evaluation comment removed",
    ]
    assert personal_data.anonymise(alex, dry_run=True) == said
    assert CareerStatement.objects.filter(technician=alex).exists()
    assert personal_data.anonymise(alex, dry_run=False) == said
    assert not CareerStatement.objects.filter(technician=alex).exists()
    assert not BandOverride.objects.filter(technician=alex).exists()
    application = alex.mentoring_applications.get()
    assert (application.topics_text, application.preferences_note) == ("", "")
    assert pair.meetings.get().note == ""
    assert pair.evaluations.get().comment == ""
    assert personal_data.anonymise(alex, dry_run=False) == []
