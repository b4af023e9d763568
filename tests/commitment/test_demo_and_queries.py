"""The demo Commitment, and the Commitment's pages at a constant number of queries."""

import datetime
import io

import pytest
import time_machine

from actionplan import demo as actionplan_demo
from commitment import demo
from commitment.models import Advice, Commitment, Submission
from portal import roles
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_commitment_is_plausible_and_idempotent():
    with time_machine.travel(datetime.datetime(2026, 12, 5, 12, 0), tick=False):
        make_user("steering@example.ac.uk", roles.STEERING_GROUP)
        actionplan_demo.seed_demo_plan()
        out = io.StringIO()
        demo.seed_demo(technicians=0, stdout=out)
        commitment = Commitment.objects.get()
        assert commitment.signed_on < commitment.announced_on < datetime.date(2026, 12, 5)
        stages = {s.stage: s for s in Submission.objects.all()}
        assert stages[1].status == "reviewed" and stages[1].due_on == datetime.date(2024, 7, 31)
        assert stages[1].submitted_on <= stages[1].due_on and stages[1].snapshot["pillars"]
        assert stages[2].status == "drafting" and stages[2].due_on == datetime.date(2027, 7, 31)
        linked = Advice.objects.filter(action__isnull=False).get()
        assert linked.action.ref == "PR1"
        counts = (Submission.objects.count(), Advice.objects.count())
        demo.seed_demo(technicians=0, stdout=out)
        assert (Submission.objects.count(), Advice.objects.count()) == counts


def test_the_demo_works_out_the_figures_last_so_the_first_dashboard_shows_them(known_data):
    from commitment.models import StoredFigures
    from commitment.reports import stored
    from portal import registry

    entries = registry.seeders()
    assert entries[-1].name == "commitment.figures"  # after every app has seeded its own
    out = io.StringIO()
    demo.seed_figures(technicians=0, stdout=out)
    years = [year for year, _label in stored.offered_years()]
    assert set(StoredFigures.objects.values_list("year", flat=True)) == set(years)
    assert "Figures worked out" in out.getvalue()
    figures = stored.figures_for_panel(years[0])
    assert figures is not None and figures.headlines


def _more(n: int, plan) -> None:
    for index in range(n):
        factories.ActionFactory(plan=plan, pillar="recognition", ref=f"Q{n}-{index}")
        factories.DepartmentFactory()


def test_the_public_page_runs_the_same_queries_whatever_the_plan(
    client, personas, django_assert_max_num_queries
):
    plan = factories.ActionPlanFactory(
        starts_on=datetime.date.today() - datetime.timedelta(days=30),
        ends_on=datetime.date.today() + datetime.timedelta(days=700),
    )
    Commitment.objects.create(
        signed_on=datetime.date(2023, 6, 1),
        announced_on=datetime.date(2023, 7, 1),
        lead=personas.steering,
        contact_email="tc@example.ac.uk",
    )
    _more(2, plan)
    with django_assert_max_num_queries(50) as small:
        assert client.get("/commitment/").status_code == 200
    _more(20, plan)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/commitment/").status_code == 200


def test_the_submissions_list_runs_the_same_queries(
    client, personas, django_assert_max_num_queries
):
    commitment = Commitment.objects.create(
        signed_on=datetime.date(2010, 6, 1), announced_on=datetime.date(2010, 7, 1)
    )
    client.force_login(personas.steering)
    Submission.objects.create(
        commitment=commitment, stage=1, due_on=datetime.date(2011, 7, 31), status="reviewed"
    )
    with django_assert_max_num_queries(60) as small:
        assert client.get("/commitment/self-assessment/").status_code == 200
    for stage in range(2, 6):
        Submission.objects.create(
            commitment=commitment,
            stage=stage,
            due_on=datetime.date(2011 + 3 * stage, 7, 31),
            status="reviewed",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/commitment/self-assessment/").status_code == 200
