"""ORCID import from a response recorded from ORCID's v3.0 API (never the network).

The recording (orcid_works_0000-0003-4997-3076.json, its source in ORCID_RECORDING.md) is
served at the HTTP edge: `requests`' transport adapter answers with its bytes, so the real
client code runs (URL, headers, timeout, status, JSON) and any other request fails the test.
"""

import copy
import json
from pathlib import Path

import pytest
import requests
from django.core.exceptions import PermissionDenied, ValidationError

from recognition import orcid, services
from recognition.models import Contribution, Output

pytestmark = pytest.mark.django_db

ORCID_ID = "0000-0003-4997-3076"
RECORDED = Path(__file__).with_name(f"orcid_works_{ORCID_ID}.json")
RECORDED_BYTES = RECORDED.read_bytes()


def _response(request, *, status=200, body=RECORDED_BYTES, content_type="application/json"):
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers["Content-Type"] = f"{content_type};charset=UTF-8"
    response.encoding = "utf-8"
    response.url = request.url
    response.request = request
    return response


class Edge:
    """The HTTP edge: what each request asked, and the answer to give (the recording)."""

    def __init__(self):
        self.requests = []
        self.answer = lambda request: _response(request)

    def send(self, adapter, request, **kwargs):
        self.requests.append((request, kwargs))
        return self.answer(request)


@pytest.fixture(autouse=True)
def edge(monkeypatch):
    """Every request of `requests` reaches this stand-in, never the network."""
    stand_in = Edge()
    monkeypatch.setattr(
        requests.adapters.HTTPAdapter,
        "send",
        lambda adapter, request, **kwargs: stand_in.send(adapter, request, **kwargs),
    )
    return stand_in


def _serve(edge, data):
    body = json.dumps(data).encode()
    edge.answer = lambda request: _response(request, body=body)


@pytest.fixture
def alex(personas):
    technician = personas.technician_profile
    technician.orcid = ORCID_ID
    technician.save()
    return technician


# --- the client ------------------------------------------------------------------------------


def test_the_client_asks_the_api_in_settings_with_a_timeout(edge, settings):
    settings.ORCID_API_URL = "https://pub.sandbox.orcid.org/v3.0/"
    settings.ORCID_TIMEOUT = 7
    orcid.fetch_works(ORCID_ID)
    (request, kwargs), *others = edge.requests
    assert not others
    assert request.method == "GET"
    assert request.url == f"https://pub.sandbox.orcid.org/v3.0/{ORCID_ID}/works"
    assert request.headers["Accept"] == "application/json"
    assert kwargs["timeout"] == 7


def test_the_default_api_is_orcids_public_one():
    from django.conf import settings

    assert settings.ORCID_API_URL == "https://pub.orcid.org/v3.0"


def test_the_recorded_works_are_read_title_year_doi_journal_type_and_put_code():
    works = orcid.fetch_works(ORCID_ID)
    assert [(w.put_code, w.title, w.year, w.doi, w.kind, w.journal) for w in works] == [
        ("1487805", "Test Publication", 2022, "", "other", "KBase / LBNL / DOE"),
        ("1537385", "book1x", 2022, "", "other", "pub"),
        (
            "1547701",
            "A KBase Case Study on Genome-wide Transcriptomics and Plant Primary Metabolism "
            "in Sorghum",
            2021,
            "10.25982/101788.79/1828290",
            "dataset",
            "Cold Spring Harbor Laboratory Cold Spring Harbor, NY (United States)",
        ),
        ("1526002", "Some Data Set, yo, bro, whoa", 2021, "", "other", "Me myself and I and me"),
        ("1489307", "KBase Educators Overview", 2020, "10.25982/1668075", "dataset", ""),
        ("1591568", "foo", 2002, "", "other", "bar"),
    ]
    assert works[0].url == "https://kbase.us/n/67335/259/"


def test_a_group_is_one_work_its_preferred_version_with_every_put_code():
    # The recording's fifth group holds two versions of one DOI from two sources: ORCID shows
    # the one with the greatest display-index ("1": the data set), not the first listed.
    works = orcid.parse_works(json.loads(RECORDED_BYTES))
    educators = next(w for w in works if w.doi == "10.25982/1668075")
    assert educators.title == "KBase Educators Overview"
    assert educators.put_codes == ("1489307", "1526014")
    data = json.loads(RECORDED_BYTES)
    group = next(g for g in data["group"] if len(g["work-summary"]) == 2)
    group["work-summary"].reverse()  # order does not choose; display-index does
    again = next(w for w in orcid.parse_works(data) if w.doi == "10.25982/1668075")
    assert (again.put_code, again.title) == ("1489307", "KBase Educators Overview")


def test_a_doi_orcid_could_not_normalise_is_not_taken_as_one():
    # "book1", "123" and "foo" are recorded with external-id-normalized-error.
    works = {w.put_code: w for w in orcid.parse_works(json.loads(RECORDED_BYTES))}
    for code in ("1537385", "1526002", "1591568"):
        assert works[code].doi == ""
        assert works[code].url  # the work's URL stands in
    assert "10.25982/101788.79/1828290" in {w.doi for w in works.values()}


def test_the_same_doi_in_two_groups_is_one_work():
    # The recording with the fifth group's second version split into a group of its own, its
    # DOI in capitals, as ORCID answers when two sources' identifiers were not grouped.
    data = json.loads(RECORDED_BYTES)
    group = next(g for g in data["group"] if len(g["work-summary"]) == 2)
    second = group["work-summary"].pop()
    doi = second["external-ids"]["external-id"][0]
    doi["external-id-value"] = doi["external-id-value"].upper()
    doi["external-id-normalized"] = None
    split = copy.deepcopy(group)
    split["work-summary"] = [second]
    data["group"].append(split)
    works = orcid.parse_works(data)
    assert len(works) == 6
    educators = [w for w in works if w.doi == "10.25982/1668075"]
    assert len(educators) == 1
    assert educators[0].put_codes == ("1489307", "1526014")


@pytest.mark.parametrize(
    "status, body, content_type, message",
    [
        (404, b'{"response-code":404}', "application/json", "knows no record"),
        (503, b"", "text/plain", r"answered with an error \(503\)"),
        (200, b"<html>", "text/html", "could not be read"),
        (200, b"[]", "application/json", "could not be read"),
    ],
)
def test_orcid_refusals_are_sentences(edge, status, body, content_type, message):
    edge.answer = lambda request: _response(
        request, status=status, body=body, content_type=content_type
    )
    with pytest.raises(orcid.OrcidError, match=message):
        orcid.fetch_works(ORCID_ID)


def test_an_unreachable_orcid_is_a_sentence(edge):
    def down(request):
        raise requests.ConnectTimeout("timed out")

    edge.answer = down
    with pytest.raises(orcid.OrcidError, match="could not be reached"):
        orcid.fetch_works(ORCID_ID)


# --- the import --------------------------------------------------------------------------------


def test_import_then_the_technician_confirms_their_works_and_roles(edge, alex, personas):
    added = services.import_orcid_works(alex, by=personas.hr)  # HR may import
    assert added == 6  # every recorded work has a year and a DOI or a URL
    pending = Contribution.objects.filter(technician=alex, confirmed=False)
    assert pending.count() == 6
    assert set(pending.values_list("source", flat=True)) == {"orcid"}
    data = pending.get(output__doi="10.25982/101788.79/1828290")
    assert data.output.journal.startswith("Cold Spring Harbor Laboratory")
    assert data.output.kind == Output.Kind.DATASET
    assert data.orcid_put_code == "1547701"
    # Again: nothing new (known by put code and by DOI).
    assert services.import_orcid_works(alex, by=personas.technician) == 0
    educators = pending.get(output__doi="10.25982/1668075")
    foo = pending.get(orcid_put_code="1591568")
    with pytest.raises(PermissionDenied):  # only the technician says what is theirs
        services.confirm_work(data, by=personas.hr, mine=True, roles=["data-curation"])
    with pytest.raises(ValidationError, match="at least one"):
        services.confirm_work(data, by=personas.technician, mine=True, roles=[])
    services.confirm_work(
        data,
        by=personas.technician,
        mine=True,
        roles=["software", "data-curation"],
        credit="acknowledged",
    )
    services.confirm_work(educators, by=personas.technician, mine=True, roles=["resources"])
    services.confirm_work(foo, by=personas.technician, mine=False)
    confirmed = Contribution.objects.filter(technician=alex, confirmed=True)
    assert {c.output.doi: (c.roles, c.credit) for c in confirmed} == {
        "10.25982/101788.79/1828290": (["data-curation", "software"], "acknowledged"),
        "10.25982/1668075": (["resources"], "author"),
    }
    assert not Output.objects.filter(title="foo").exists()


def test_a_work_whose_preferred_version_changed_is_not_imported_twice(edge, alex, personas):
    services.import_orcid_works(alex, by=personas.technician)
    data = json.loads(RECORDED_BYTES)
    group = next(g for g in data["group"] if len(g["work-summary"]) == 2)
    for summary in group["work-summary"]:  # the other source becomes the preferred one
        summary["display-index"] = "1" if summary["put-code"] == 1526014 else "0"
    _serve(edge, data)
    assert services.import_orcid_works(alex, by=personas.technician) == 0


def test_no_orcid_on_the_profile_is_a_sentence(personas):
    with pytest.raises(ValidationError, match="no ORCID iD"):
        services.import_orcid_works(personas.technician_profile, by=personas.technician)


def test_a_colleague_cannot_import_someone_elses_works(alex, personas, edge):
    with pytest.raises(PermissionDenied):
        services.import_orcid_works(alex, by=personas.manager)
    assert not edge.requests
