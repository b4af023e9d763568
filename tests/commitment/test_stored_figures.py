"""HR's figures page is worked out once and read by everyone: the page reads one stored row,
says when it was worked out, and is worked out again when it is a quarter of an hour old,
when HR asks, and by the periodic task. The CSVs stay live."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitment.models import StoredFigures
from commitment.reports import stored
from commitment.tasks import refresh_all_figures
from portal import roles
from tests.commitment.conftest import NOW, YEAR
from tests.conftest import make_user
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db

URL = f"/reports/figures/{YEAR}/"


@pytest.fixture
def hr(db):
    return make_user("harper.hr@example.ac.uk", roles.HR)


def _log_days(days: int) -> None:
    TrainingRecord.objects.create(
        technician=TrainingRecord.objects.first().technician,
        date=datetime.date(2026, 2, 1),
        days=days,
        category="formal",
        title="Late entry",
    )


def _logged_days(client) -> str:
    return client.get(f"/reports/figures/{YEAR}/summary.csv").content.decode("utf-8-sig")


def test_the_first_reader_works_the_figures_out_and_the_next_read_the_stored_page(
    known_data, hr, client
):
    client.force_login(hr)
    first = client.get(URL)
    assert first.status_code == 200
    figures = StoredFigures.objects.get(year=YEAR)
    assert figures.computed_at == NOW
    assert "Executive summary" in figures.html
    assert "Worked out at" in first.content.decode()
    # The next reader builds nothing: the figures' own SQL is one row, whatever the data.
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL)
    assert again.content.decode().count('id="section-summary-heading"') == 1
    figure_queries = [q for q in queries if "commitment_storedfigures" in q["sql"]]
    assert len(figure_queries) == 1
    assert not [q for q in queries if "training_trainingrecord" in q["sql"]]


def test_a_change_shows_on_the_page_once_a_quarter_of_an_hour_has_passed(
    known_data, hr, client, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    client.get(URL)
    before = StoredFigures.objects.get(year=YEAR).html
    _log_days(3)
    with time_machine.travel(NOW + stored.FRESH_FOR - datetime.timedelta(seconds=1), tick=False):
        client.get(URL)
        assert StoredFigures.objects.get(year=YEAR).html == before  # still fresh
    later = NOW + stored.FRESH_FOR + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        # Stale: the reader queues one refresh (run at once here: no broker in the tests).
        with django_capture_on_commit_callbacks(execute=True):
            client.get(URL)
        figures = StoredFigures.objects.get(year=YEAR)
        assert figures.computed_at == later
        assert figures.html != before
        assert figures.refresh_queued_at is None


def test_hr_asks_for_the_figures_to_be_worked_out_again(
    known_data, hr, client, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    client.get(URL)
    later = NOW + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL)
        assert response.status_code == 302
        assert StoredFigures.objects.get(year=YEAR).computed_at == later


def test_many_readers_of_a_stale_page_queue_one_refresh(known_data):
    stored.refresh_figures(year=YEAR)
    StoredFigures.objects.filter(year=YEAR).update(computed_at=NOW - datetime.timedelta(hours=1))
    with pytest.MonkeyPatch.context() as patch:
        queued = []
        patch.setattr(
            stored.transaction, "on_commit", lambda func, robust=False: queued.append(func)
        )
        assert stored.request_refresh(year=YEAR) is True
        assert stored.request_refresh(year=YEAR) is False
        assert stored.request_refresh(year=YEAR, force=True) is True
    assert len(queued) == 2


def test_the_periodic_task_works_out_every_year_offered(known_data):
    refreshed = refresh_all_figures()
    assert YEAR in refreshed
    assert set(StoredFigures.objects.values_list("year", flat=True)) == set(refreshed)


def test_the_csvs_stay_live(known_data, hr, client):
    client.force_login(hr)
    client.get(URL)
    before = _logged_days(client)
    _log_days(4)
    assert _logged_days(client) != before


def test_the_dashboard_panel_reads_the_stored_headlines_and_never_works_them_out(known_data):
    """The panel shows the headline figures as the worker last worked them out, with the
    figures page (one row); with none stored, it queues one refresh for every dashboard that
    finds none, and a stale one queues a refresh as the figures page does."""
    from django.core.cache import cache

    cache.clear()
    with pytest.MonkeyPatch.context() as patch:
        queued = []
        patch.setattr(
            stored.transaction, "on_commit", lambda func, robust=False: queued.append(func)
        )
        with CaptureQueriesContext(connection) as queries:
            assert stored.figures_for_panel(YEAR) is None
            assert stored.figures_for_panel(YEAR) is None
        assert len(queued) == 1  # one refresh for both
        assert not [q for q in queries if "training_trainingrecord" in q["sql"]]
        stored.refresh_figures(year=YEAR)
        figures = stored.figures_for_panel(YEAR)
        assert figures.computed_at == NOW and len(queued) == 1
        document_figures = stored.report_document.build(YEAR, with_charts=False).figures
        assert figures.headlines == stored.headlines_of_figures(document_figures)
        assert {pillar for pillar, _label, _text in figures.headlines} and all(
            sum(1 for row in figures.headlines if row[0] == pillar) <= 2
            for pillar, _label, _text in figures.headlines
        )
        with time_machine.travel(NOW + stored.FRESH_FOR + datetime.timedelta(seconds=1)):
            assert stored.figures_for_panel(YEAR).computed_at == NOW  # the stored one, shown
        assert len(queued) == 2  # and a refresh queued
