"""Figures shared by every viewer (portal.versions) are computed once, read back in one query,
and never stale: each write moves the version of its data on, whichever path it takes. If the
shared cache is unreachable or paused, the figures are computed from the database."""

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal import versions
from portal.models import DataVersion
from skills import selectors, services
from technicians.services import create_technicians_in_bulk
from technicians.staff_list import apply_staff_import
from tests import factories
from tests.portal.test_no_page_cache import redis_unreachable
from tests.skills.test_leavers import staff_list_without

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(personas):
    return factories.DepartmentFactory(name="Unit", slug="unit", faculty="Faculty of Unit")


@pytest.fixture
def nmr(db):
    return factories.SkillFactory(name="NMR spectroscopy", category="Analytical")


@pytest.fixture
def two_holders(unit, nmr, personas):
    """A unit that needs two NMR holders and has them, one of whom can train: covered."""
    people = [factories.TechnicianFactory(department=unit) for _ in range(2)]
    for person, level in zip(people, (4, 2), strict=True):
        factories.TechnicianSkillFactory(technician=person, skill=nmr, level=level)
    services.set_skill_need(nmr, department=unit, min_holders=2, by=personas.hr)
    return people


def risk_of(nmr) -> str:
    return next(judged.risk for judged in selectors.judged_needs() if judged.skill_id == nmr.pk)


def test_a_second_read_is_one_query_and_gives_the_same_figures(two_holders, nmr):
    first = selectors.judged_needs()
    with CaptureQueriesContext(connection) as queries:
        again = selectors.judged_needs()
    assert len(queries) == 1  # the versions, then the cached figures
    assert again == first and risk_of(nmr) == "covered"


def test_ratings_changed_through_the_service_are_seen_at_once(two_holders, nmr, personas):
    assert risk_of(nmr) == "covered"
    services.set_skills(two_holders[1], [], by=personas.hr)  # they no longer hold NMR at all
    assert risk_of(nmr) == "single_point"
    services.set_skills(two_holders[1], [(nmr, 2)], by=personas.hr)  # and again
    assert risk_of(nmr) == "covered"


def test_leavers_from_the_staff_list_are_seen_at_once(two_holders, nmr, personas):
    assert risk_of(nmr) == "covered"
    apply_staff_import(staff_list_without(two_holders[1]), by=personas.hr, confirmed_leavers=1)
    assert risk_of(nmr) == "single_point"


def test_technicians_created_in_bulk_move_the_people_version_on(unit):
    before = versions.current(["people"])
    create_technicians_in_bulk(
        [
            factories.TechnicianFactory.build(department=unit, staff_number="BULK-1"),
        ]
    )
    assert versions.current(["people"]) != before


def test_a_write_that_is_rolled_back_leaves_the_version_where_it_was(db):
    versions.bump("people")
    before = versions.current(["people"])
    with pytest.raises(RuntimeError), transaction.atomic():
        versions.bump("people")
        raise RuntimeError
    assert versions.current(["people"]) == before


def test_a_first_version_starts_at_random(db):
    versions.bump("a")
    versions.bump("b")
    first = dict(DataVersion.objects.values_list("name", "version"))
    assert first["a"] != first["b"] and min(first.values()) > 0


@pytest.mark.parametrize("paused", [False, True], ids=["unreachable", "paused"])
def test_an_unreachable_cache_gives_correct_figures(
    two_holders, nmr, personas, monkeypatch, paused
):
    assert risk_of(nmr) == "covered"  # cached now
    with redis_unreachable(monkeypatch, paused=paused):
        services.set_skills(two_holders[1], [], by=personas.hr)
        assert risk_of(nmr) == "single_point"
    assert risk_of(nmr) == "single_point"


def test_the_dashboards_share_the_figures(two_holders, nmr, personas, login):
    versions.clear_copies()
    login(personas.hr).get("/")
    with CaptureQueriesContext(connection) as queries:
        login(personas.steering).get("/")
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "unitskillneed" not in tables  # the steering group reads HR's copy


@pytest.mark.redis
def test_the_figures_live_in_a_real_redis_and_follow_the_versions(
    two_holders, nmr, personas, settings
):
    """As deployed: the shared cache is its own Redis database, apart from the broker's."""
    from urllib.parse import urlparse

    broker = urlparse(settings.REDIS_URL)
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": broker._replace(path="/13").geturl(),
            "KEY_PREFIX": "test-versions",
        },
    }
    versions.clear_copies()
    try:
        assert type(caches["shared"]).__name__ == "RedisCache"
        assert risk_of(nmr) == "covered"
        versions.local_copies.clear()  # another process: it reads the copy in Redis
        with CaptureQueriesContext(connection) as queries:
            assert risk_of(nmr) == "covered"
        assert len(queries) == 1
        services.set_skills(two_holders[1], [], by=personas.hr)
        assert risk_of(nmr) == "single_point"
    finally:
        versions.clear_copies()


# --- HR's staff-list figures, under the "profiles" version ------------------------------------


def hr_figures():
    from technicians.selectors import hr_dashboard

    figures = hr_dashboard()
    return figures["active"], figures["complete"], figures["completeness"]["no_photo"]


@pytest.fixture
def two_incomplete(unit):
    return [factories.TechnicianFactory(department=unit, bio="", photo="") for _ in range(2)]


def test_hr_figures_are_read_back_without_counting_again(two_incomplete):
    first = hr_figures()
    with CaptureQueriesContext(connection) as queries:
        assert hr_figures() == first
    assert not any("COUNT(" in query["sql"] for query in queries)


def test_a_profile_edit_through_the_service_is_counted_at_once(two_incomplete, personas):
    from technicians.services import update_profile

    active, complete, no_photo = hr_figures()
    person = two_incomplete[0]
    people_before = versions.current(["people"])
    factories.attach_photo(person)  # a save of two fields: "profiles" moves on, "people" not
    assert hr_figures() == (active, complete, no_photo - 1)
    assert versions.current(["people"]) == people_before
    update_profile(person, {"bio": "Mass spectrometry.", "expertise": "LC-MS"}, by=personas.hr)
    assert hr_figures()[:2] == (active, complete + 1)


def test_photos_stored_in_bulk_are_counted_at_once(two_incomplete):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from technicians import photos
    from technicians.services import store_photos_in_bulk

    _, _, no_photo = hr_figures()
    portrait = photos.process_photo(SimpleUploadedFile("me.jpeg", factories.image_bytes("JPEG")))
    assert store_photos_in_bulk({person.pk: portrait for person in two_incomplete}) == 2
    assert hr_figures()[2] == no_photo - 2


def test_leavers_from_the_staff_list_leave_hr_figures_at_once(two_incomplete, personas):
    active, _, _ = hr_figures()
    apply_staff_import(staff_list_without(two_incomplete[1]), by=personas.hr, confirmed_leavers=1)
    assert hr_figures()[0] == active - 1


# --- the skills matrix: counts by unit, the same for every viewer -----------------------------


def nmr_cell(nmr, personas, unit, *, faculty=""):
    matrix = selectors.skills_matrix(personas.manager, faculty=faculty)
    keys = [u.key for u in matrix.units]
    key = str(unit.pk) if faculty else unit.faculty
    for _category, rows in matrix.categories:
        for row in rows:
            if row.skill.pk == nmr.pk:
                return row.cells[keys.index(key)].total
    return 0


def test_the_matrix_counts_are_read_back_without_grouping_again(two_holders, nmr, personas, unit):
    assert nmr_cell(nmr, personas, unit) == 2
    with CaptureQueriesContext(connection) as queries:
        assert nmr_cell(nmr, personas, unit) == 2
    assert not any("GROUP BY" in query["sql"] for query in queries)


@pytest.mark.parametrize("faculty", [False, True], ids=["by faculty", "by department"])
def test_the_matrix_follows_ratings_leavers_and_moves_at_once(
    two_holders, nmr, personas, unit, faculty
):
    scope = {"faculty": unit.faculty} if faculty else {}
    assert nmr_cell(nmr, personas, unit, **scope) == 2
    services.set_skills(two_holders[1], [], by=personas.hr)
    assert nmr_cell(nmr, personas, unit, **scope) == 1
    services.set_skills(two_holders[1], [(nmr, 2)], by=personas.hr)
    assert nmr_cell(nmr, personas, unit, **scope) == 2
    apply_staff_import(staff_list_without(two_holders[1]), by=personas.hr, confirmed_leavers=1)
    assert nmr_cell(nmr, personas, unit, **scope) == 1
    two_holders[0].department = factories.DepartmentFactory(faculty=unit.faculty)
    two_holders[0].save()
    assert nmr_cell(nmr, personas, unit, **scope) == (0 if faculty else 1)


# --- read once a request -------------------------------------------------------------------


def _version_reads(context: CaptureQueriesContext) -> int:
    return sum(DataVersion._meta.db_table in query["sql"] for query in context.captured_queries)


def test_within_a_request_the_versions_are_read_once_for_every_figure():
    with versions.per_request(), CaptureQueriesContext(connection) as context:
        for key in ("a", "b", "c"):
            versions.cached(key, depends_on=("people",), compute=lambda: 1)
        versions.cached("d", depends_on=("skills", "people"), compute=lambda: 2)
    assert _version_reads(context) == 1


def test_outside_a_request_each_figure_reads_its_versions():
    with CaptureQueriesContext(connection) as context:
        versions.cached("a", depends_on=("people",), compute=lambda: 1)
        versions.cached("b", depends_on=("people",), compute=lambda: 1)
    assert _version_reads(context) == 2


def test_a_request_sees_its_own_write_at_once():
    with versions.per_request():
        before = versions.current(["people"])
        with transaction.atomic():
            versions.bump("people")
        after = versions.current(["people"])
        assert after != before
        computed = versions.cached("count", depends_on=("people",), compute=lambda: "after")
    assert computed == "after"


def test_every_page_reads_the_versions_at_most_once(personas, login):
    client = login(personas.hr)
    with CaptureQueriesContext(connection) as context:
        assert client.get("/").status_code == 200
    assert _version_reads(context) <= 1


# --- this process's copies -------------------------------------------------------------------


def test_a_process_reads_its_own_copy_without_asking_the_shared_cache(
    two_holders, nmr, monkeypatch
):
    assert risk_of(nmr) == "covered"
    # The shared cache unreachable: it is not asked at all.
    with redis_unreachable(monkeypatch), CaptureQueriesContext(connection) as queries:
        assert risk_of(nmr) == "covered"
    assert len(queries) == 1  # the versions


def test_a_process_copy_follows_the_versions(two_holders, nmr, personas):
    assert risk_of(nmr) == "covered"
    services.set_skills(two_holders[1], [], by=personas.hr)
    assert risk_of(nmr) == "single_point"


def test_each_reader_of_a_process_copy_gets_objects_of_its_own(db):
    versions.cached("test:list", depends_on=["test"], compute=lambda: [1, 2])
    first = versions.cached("test:list", depends_on=["test"], compute=lambda: [9])
    first.append(3)
    assert versions.cached("test:list", depends_on=["test"], compute=lambda: [9]) == [1, 2]


def test_a_process_keeps_its_latest_copies_and_drops_the_least_recently_read():
    copies = versions._LocalCopies(size=2)
    copies.set("a", 1)
    copies.set("b", 2)
    assert copies.get("a") == 1  # "b" is now the least recently read
    copies.set("c", 3)
    assert copies.get("b") is versions._MISSING
    assert (copies.get("a"), copies.get("c")) == (1, 3)


def test_a_process_copy_lasts_as_long_as_the_shared_one(monkeypatch):
    copies = versions._LocalCopies(size=2)
    now = 1000.0
    monkeypatch.setattr(versions.time, "monotonic", lambda: now)
    copies.set("a", 1)
    now += versions.TIMEOUT_SECONDS - 1
    assert copies.get("a") == 1
    now += 1
    assert copies.get("a") is versions._MISSING


# --- objects kept as they are in the process (versions.kept_object) ----------------------------


def test_a_kept_object_is_made_once_and_given_as_it_is_until_its_data_changes(nmr):
    from skills.forms import grouped_skill_choices

    first = grouped_skill_choices()
    assert grouped_skill_choices() is first  # the same object: its written options kept
    assert [label for label, _ in first.normalized if label] == ["Analytical"]
    factories.SkillFactory(name="Glassblowing", category="Workshop")  # moves "skills" on
    second = grouped_skill_choices()
    assert second is not first
    assert [label for label, _ in second.normalized if label] == ["Analytical", "Workshop"]
    assert grouped_skill_choices() is second


def test_a_kept_object_is_forgotten_with_the_copies(db):
    made = []
    versions.kept_object("test.kept", depends_on=("skills",), compute=lambda: made.append(1))
    versions.kept_object("test.kept", depends_on=("skills",), compute=lambda: made.append(1))
    versions.clear_copies()
    versions.kept_object("test.kept", depends_on=("skills",), compute=lambda: made.append(1))
    assert made == [1, 1]
