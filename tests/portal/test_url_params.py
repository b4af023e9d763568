"""Years, dates and numbers from a URL go through one kernel parser (portal.params, issue 20,
hole 2): a value out of range answers 400 or falls back to the current year, never 500, on a
page and its export alike. A walk over every GET URL of the permission matrix sends each one
the values that used to break them."""

import datetime

import pytest
import time_machine
from django.test import Client

from portal import params
from tests.conftest import PERSONA_NAMES
from tests.test_permission_matrix import ROWS, make_world


@pytest.fixture
def world(personas):
    """The matrix's objects, made for this test alone (the module's other tests make personas
    of their own)."""
    return make_world(personas)


SIGNED_IN = [name for name in PERSONA_NAMES if name != "anonymous"]
GET_ROWS = [
    row for row in ROWS if row.method == "get" and any(row.expect[p] == 200 for p in PERSONA_NAMES)
]
HOSTILE = {
    "year": ["10000", "99999999999", "-1", "0", "2025.5", "1" * 5000, "２０２５"],
    "page": ["99999999999999999999999", "-5", "0", "last", "1e9"],
    "start": ["10000-01-01", "0000-00-00", "99999999-12-31"],
    "end": ["9999-12-31", "0001-01-01"],
    "date": ["10000-01-01", "2025-02-30"],
    "starts_from": ["99999-01-01", "0001-01-01"],
    "starts_until": ["9999-12-31"],
}
# A year alone (the parameter that broke), then every hostile value of each name at once.
QUERIES = [
    {"year": "10000"},
    {"year": "99999999999"},
    *(
        {name: values[index % len(values)] for name, values in HOSTILE.items()}
        for index in range(1, 4)
    ),
]


def test_the_walk_covers_the_urls_that_take_a_year():
    paths = {row.name for row in GET_ROWS}
    assert {"training:totals", "training:totals_export", "reports:figures"} <= paths


def test_no_url_answers_500_to_a_hostile_year_date_or_number(world):
    client = Client(raise_request_exception=False)
    broken = []
    for row in GET_ROWS:
        persona = next(p for p in PERSONA_NAMES if row.expect[p] == 200)
        user = getattr(world, persona)
        client.logout()
        if user is not None:
            client.force_login(user, backend="technicians.auth_backends.ModelBackend")
        path = row.path(world)
        separator = "&" if "?" in path else "?"
        for query in QUERIES:
            text = "&".join(f"{name}={value}" for name, value in query.items())
            response = client.get(f"{path}{separator}{text}")
            if response.status_code not in (200, 302, 400, 404):
                broken.append(f"{path}{separator}{text[:80]}: {response.status_code}")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("path", ["/reports/figures/99999999999/", "/reports/figures/10000/"])
def test_a_year_in_the_path_out_of_range_is_not_found(path, personas, login):
    assert login(personas.hr).get(path).status_code == 404


TODAY = datetime.date(2026, 3, 10)  # academic year 2025–26


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, 0), tick=False):
        yield TODAY


@pytest.mark.parametrize("value", ["10000", "99999999999", "2014", "abc", ""])
def test_training_totals_page_and_export_fall_back_to_the_current_year(
    value, today, personas, login
):
    client = login(personas.hr)
    page = client.get(f"/training/totals/?year={value}")
    assert page.status_code == 200
    assert "2025–26" in page.content.decode()
    export = client.get(f"/training/totals/export.csv?year={value}")
    assert export.status_code == 200
    assert 'filename="training-totals-2025.csv"' in export["Content-Disposition"]


def test_training_totals_page_and_export_take_a_year_in_range(today, personas, login):
    client = login(personas.hr)
    assert "2016–17" in client.get("/training/totals/?year=2016").content.decode()
    export = client.get("/training/totals/export.csv?year=2016")
    assert 'filename="training-totals-2016.csv"' in export["Content-Disposition"]


def test_a_cpd_record_for_a_date_out_of_range_is_400(personas, login):
    client = login(personas.technician)
    response = client.get("/registration/cpd/record.csv?start=10000-01-01&end=10000-02-01")
    assert response.status_code in (400, 404)


# --- the parser itself ------------------------------------------------------------------------


class Get(dict):
    @property
    def GET(self):  # noqa: N802 (a request's attribute)
        return self


def test_integer_and_year_parse_only_whole_numbers_in_range():
    assert params.year(Get(year="2025"), minimum=2000, maximum=2030) == 2025
    assert params.year(Get(year=" 2025 "), minimum=2000, maximum=2030) == 2025
    assert params.year(Get(), minimum=2000, maximum=2030, default=7) == 7
    assert params.year(Get(year=""), minimum=2000, maximum=2030, default=7) == 7
    for bad in ("10000", "99999999999", "1" * 5000, "20.5", "２０２５", "1e3", "-2025"):
        with pytest.raises(params.BadParameter):
            params.year(Get(year=bad), minimum=2000, maximum=2030)
        assert params.year(Get(year=bad), minimum=2000, maximum=2030, default=1, fallback=True) == 1
    assert params.integer(Get(page="3"), "page", minimum=1, maximum=10) == 3


def test_dates_parse_within_the_portals_years():
    assert params.date(Get(d="2025-02-28"), "d") == datetime.date(2025, 2, 28)
    assert params.date(Get(d="28/02/2025"), "d") == datetime.date(2025, 2, 28)
    for bad in ("2025-02-30", "10000-01-01", "0001-01-01", "yesterday"):
        with pytest.raises(params.BadParameter):
            params.date(Get(d=bad), "d")
    assert params.date(Get(d="1800-01-01"), "d", default=None, fallback=True) is None


def test_a_bad_parameter_is_a_400_page(rf):
    from django.core.exceptions import BadRequest

    assert issubclass(params.BadParameter, BadRequest)
