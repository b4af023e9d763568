"""Fair attribution: outputs with CRediT roles, on the profile, the directory filter by role,
the REF export (formula-safe), and the annual report's counts by department."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recognition import report, services
from recognition.models import CREDIT_ROLE_CODES, Contribution, Output
from tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def test_there_are_the_14_credit_roles():
    assert len(CREDIT_ROLE_CODES) == 14
    assert "formal-analysis" in CREDIT_ROLE_CODES and "writing-review-editing" in CREDIT_ROLE_CODES


def _record(by, technician, **extra):
    values = {
        "title": "A method paper",
        "year": 2025,
        "doi": "10.1000/xyz123",
        "roles": ["methodology", "investigation"],
        "credit": "author",
    }
    values.update(extra)
    return services.record_output(by=by, technician=technician, **values)


def test_the_technician_or_their_manager_records_an_output(personas):
    mine = _record(personas.technician, personas.technician_profile)
    assert mine.roles == ["investigation", "methodology"]
    # The manager records one for them; the same DOI is the same output.
    colleague = TechnicianFactory()
    with pytest.raises(PermissionDenied):
        _record(personas.manager, colleague)
    again = _record(
        personas.manager, personas.technician_profile, doi="https://doi.org/10.1000/XYZ123"
    )
    assert again.pk == mine.pk and Output.objects.count() == 1


def test_an_output_needs_a_doi_or_url_and_real_roles(personas):
    with pytest.raises(ValidationError, match="DOI or a URL"):
        _record(personas.technician, personas.technician_profile, doi="")
    with pytest.raises(ValidationError, match="Not a CRediT role"):
        _record(personas.technician, personas.technician_profile, roles=["genius"])


def test_the_directory_filters_by_credit_role(personas, login):
    _record(personas.technician, personas.technician_profile, roles=["formal-analysis"])
    _record(personas.manager, personas.manager_profile, doi="10.1000/other", roles=["software"])
    page = login(personas.steering).get("/technicians/", {"credit_role": "formal-analysis"})
    assert page.status_code == 200
    names = page.content.decode()
    assert "Alex Tech" in names and "Morgan Manager" not in names


def test_outputs_show_on_the_profile_with_roles(personas, login):
    _record(personas.technician, personas.technician_profile, roles=["formal-analysis"])
    page = login(personas.steering).get(f"/technicians/{personas.technician_profile.pk}/")
    assert b"A method paper" in page.content and b"Formal analysis" in page.content


def test_the_ref_export_is_formula_safe(personas, login):
    _record(personas.technician, personas.technician_profile, title="=HYPERLINK(evil)")
    response = login(personas.hr).get("/recognition/outputs/ref.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Title", "Type", "DOI"]
    assert rows[1][0] == "'=HYPERLINK(evil)"
    assert rows[1][-1] == "Investigation; Methodology"
    assert login(personas.technician).get("/recognition/outputs/ref.csv").status_code == 403


def test_the_journal_shows_on_the_outputs_page_and_in_the_ref_export(personas, login):
    _record(personas.technician, personas.technician_profile, journal="Journal of Microscopy")
    page = login(personas.technician).get("/recognition/outputs/")
    assert "Journal of Microscopy" in page.content.decode()
    response = login(personas.hr).get("/recognition/outputs/ref.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("Journal or venue")
    assert rows[1][column] == "Journal of Microscopy"


def test_the_annual_report_counts_outputs_by_department(personas):
    _record(personas.technician, personas.technician_profile)
    _record(personas.manager, personas.manager_profile, credit="acknowledged")
    _record(personas.technician, personas.technician_profile, doi="10.1000/b", year=2024)
    Contribution.objects.create(
        output=Output.objects.create(title="Unconfirmed", doi="10.1/u", year=2025),
        technician=personas.technician_profile,
        confirmed=False,
    )
    figures = report.output_figures(2025)
    assert figures["outputs"] == 1
    assert figures["by_department"] == [["Chemistry", 1, 1]]
