"""ORCID import from a stored response in the public API's v3.0 format (never the network): the
client's address and timeout, parsing, the technician's confirmation with roles."""

import json
from pathlib import Path

import pytest
import requests
from django.core.exceptions import PermissionDenied, ValidationError

from recognition import orcid, services
from recognition.models import Contribution, Output

pytestmark = pytest.mark.django_db

ORCID_ID = "0000-0002-1825-0097"
RECORDED = Path(__file__).with_name(f"orcid_works_{ORCID_ID}.json")


class Answer:
    def __init__(self, status_code=200, data=None, text=None):
        self.status_code = status_code
        self._data = data
        self._text = text

    def json(self):
        if self._text is not None:
            return json.loads(self._text)
        return self._data


class Recorded:
    """Stands in for requests: answers with the stored response and remembers the call."""

    def __init__(self, answer=None):
        self.answer = answer or Answer(data=json.loads(RECORDED.read_text()))
        self.calls = []

    def get(self, url, **kwargs):
        self.calls.append((url, kwargs))
        return self.answer


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any real request fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the tests never reach the network")

    monkeypatch.setattr(requests, "get", refuse)
    monkeypatch.setattr(requests.Session, "request", refuse)


@pytest.fixture
def recorded(monkeypatch):
    stand_in = Recorded()
    monkeypatch.setattr(
        orcid,
        "requests",
        type("R", (), {"get": stand_in.get, "RequestException": requests.RequestException}),
    )
    return stand_in


@pytest.fixture
def alex(personas):
    technician = personas.technician_profile
    technician.orcid = ORCID_ID
    technician.save()
    return technician


def test_the_client_asks_the_api_in_settings_with_a_timeout(recorded, settings):
    settings.ORCID_API_URL = "https://pub.sandbox.orcid.org/v3.0/"
    settings.ORCID_TIMEOUT = 7
    works = orcid.fetch_works(ORCID_ID)
    url, kwargs = recorded.calls[0]
    assert url == f"https://pub.sandbox.orcid.org/v3.0/{ORCID_ID}/works"
    assert kwargs["timeout"] == 7
    assert kwargs["headers"]["Accept"] == "application/json"
    assert [(w.title, w.year, w.doi, w.kind) for w in works] == [
        ("Array programming with NumPy", 2020, "10.1038/s41586-020-2649-2", "paper"),
        ("Soil microbiome samples, 2019–2022", 2023, "10.5281/zenodo.1234567", "dataset"),
        ("Instrument control scripts", 2021, "", "software"),
        ("An undated talk with no link", None, "", "other"),
    ]


def test_the_default_api_is_orcids_public_one():
    from django.conf import settings

    assert settings.ORCID_API_URL == "https://pub.orcid.org/v3.0"


@pytest.mark.parametrize(
    "answer, message",
    [
        (Answer(status_code=404), "knows no record"),
        (Answer(status_code=503), r"answered with an error \(503\)"),
        (Answer(text="<html>"), "could not be read"),
    ],
)
def test_orcid_refusals_are_sentences(answer, message, monkeypatch):
    stand_in = Recorded(answer)
    with pytest.raises(orcid.OrcidError, match=message):
        orcid.fetch_works(ORCID_ID, session=stand_in)


def test_an_unreachable_orcid_is_a_sentence():
    class Down:
        def get(self, url, **kwargs):
            raise requests.ConnectTimeout("timed out")

    with pytest.raises(orcid.OrcidError, match="could not be reached"):
        orcid.fetch_works(ORCID_ID, session=Down())


def test_import_then_the_technician_confirms_their_works_and_roles(recorded, alex, personas):
    added = services.import_orcid_works(alex, by=personas.hr)  # HR may import
    assert added == 3  # the undated work without a link is left out
    pending = Contribution.objects.filter(technician=alex, confirmed=False)
    assert pending.count() == 3
    assert set(pending.values_list("source", flat=True)) == {"orcid"}
    # Again: nothing new.
    assert services.import_orcid_works(alex, by=personas.technician) == 0
    paper = pending.get(output__doi="10.1038/s41586-020-2649-2")
    data = pending.get(output__kind="dataset")
    software = pending.get(output__kind="software")
    with pytest.raises(PermissionDenied):  # only the technician says what is theirs
        services.confirm_work(paper, by=personas.hr, mine=True, roles=["software"])
    with pytest.raises(ValidationError, match="at least one"):
        services.confirm_work(paper, by=personas.technician, mine=True, roles=[])
    services.confirm_work(
        paper,
        by=personas.technician,
        mine=True,
        roles=["software", "formal-analysis"],
        credit="acknowledged",
    )
    services.confirm_work(data, by=personas.technician, mine=True, roles=["data-curation"])
    services.confirm_work(software, by=personas.technician, mine=False)
    confirmed = Contribution.objects.filter(technician=alex, confirmed=True)
    assert {c.output.title: c.roles for c in confirmed} == {
        "Array programming with NumPy": ["formal-analysis", "software"],  # CRediT's order
        "Soil microbiome samples, 2019–2022": ["data-curation"],
    }
    assert not Output.objects.filter(title="Instrument control scripts").exists()


def test_no_orcid_on_the_profile_is_a_sentence(personas):
    with pytest.raises(ValidationError, match="no ORCID iD"):
        services.import_orcid_works(personas.technician_profile, by=personas.technician)


def test_a_colleague_cannot_import_someone_elses_works(alex, personas):
    with pytest.raises(PermissionDenied):
        services.import_orcid_works(alex, by=personas.manager)
