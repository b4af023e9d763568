"""The submission cycle at its boundaries (DESIGN.md, commitment.cycle.next_due)."""

import datetime

import pytest
import time_machine

from commitment import cycle, services, versions
from commitment.models import Commitment, Submission

D = datetime.date
pytestmark = pytest.mark.django_db


def make(announced_on, **fields):
    return Commitment.objects.create(
        signed_on=announced_on - datetime.timedelta(days=10), announced_on=announced_on, **fields
    )


def test_a_window_exactly_12_months_after_the_announcement_is_stage_1s():
    commitment = make(D(2025, 7, 31))
    assert cycle.next_due(commitment, today=D(2025, 8, 1)) == (1, D(2026, 7, 31))


def test_a_day_later_stage_1_falls_in_the_next_window():
    commitment = make(D(2025, 8, 1))
    assert cycle.next_due(commitment, today=D(2025, 8, 1)) == (1, D(2027, 1, 31))


def test_a_day_earlier_the_window_12_months_on_is_still_in_reach():
    commitment = make(D(2025, 1, 30))
    assert cycle.next_due(commitment, today=D(2025, 2, 1)) == (1, D(2026, 1, 31))


def test_stages_1_to_3_each_36_months_after_the_window_before():
    commitment = make(D(2023, 7, 1))
    assert cycle.due_dates(commitment, [], up_to=3) == {
        1: D(2024, 7, 31),
        2: D(2027, 7, 31),
        3: D(2030, 7, 31),
    }


def submitted(commitment, stage, due_on, **fields):
    return Submission.objects.create(
        commitment=commitment, stage=stage, due_on=due_on, status="submitted", **fields
    )


def test_next_due_is_the_first_stage_not_submitted_and_may_be_past():
    commitment = make(D(2023, 7, 1))
    assert cycle.next_due(commitment, today=D(2024, 9, 1)) == (1, D(2024, 7, 31))  # overdue
    submitted(commitment, 1, D(2024, 7, 31), submitted_on=D(2024, 8, 2))
    assert cycle.next_due(commitment, today=D(2024, 9, 1)) == (2, D(2027, 7, 31))
    Submission.objects.create(commitment=commitment, stage=2, due_on=D(2027, 7, 31))
    assert cycle.next_due(commitment, today=D(2027, 8, 1)) == (2, D(2027, 7, 31))
    Submission.objects.filter(stage=2).update(status="reviewed")
    assert cycle.next_due(commitment, today=D(2027, 8, 1)) == (3, D(2030, 7, 31))


def test_the_extension_moves_the_stage_to_the_next_window_and_the_next_stage_follows(personas):
    with time_machine.travel(datetime.datetime(2024, 5, 1, 12, 0), tick=False):
        commitment = services.save_commitment(
            by=personas.steering,
            signed_on=D(2023, 6, 1),
            announced_on=D(2023, 7, 1),
            lead=personas.steering,
            contact_email="tc@example.ac.uk",
        )
        stage_1 = commitment.submissions.get(stage=1)
        assert stage_1.due_on == D(2024, 7, 31)
        services.extend_submission(stage_1, by=personas.steering)
        stage_1.refresh_from_db()
        assert (stage_1.due_on, stage_1.extended) == (D(2025, 1, 31), True)
        assert cycle.next_due(commitment, today=D(2024, 5, 1)) == (1, D(2025, 1, 31))
        # Stage 2 counts from the window stage 1 was due in after its extension.
        assert cycle.due_dates(commitment, up_to=2)[2] == D(2028, 1, 31)
        with pytest.raises(Exception, match="already been extended once"):
            services.extend_submission(stage_1, by=personas.steering)
        assert stage_1.events.filter(kind="extended").count() == 1


def test_the_extension_from_the_last_window_of_a_year_moves_to_the_next_year():
    assert cycle.window_after(D(2026, 7, 31)) == D(2027, 1, 31)
    assert cycle.window_after(D(2027, 1, 31)) == D(2027, 7, 31)


def test_windows_come_from_the_settings(settings):
    settings.COMMITMENT_SUBMISSION_WINDOWS = ["10-31", "04-30"]
    settings.COMMITMENT_FIRST_AFTER_MONTHS = 18
    commitment = make(D(2025, 4, 30))
    assert cycle.next_due(commitment, today=D(2025, 5, 1)) == (1, D(2026, 10, 31))


def test_months_keep_within_the_month():
    assert cycle.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert cycle.add_months(D(2024, 7, 31), -6) == D(2024, 1, 31)


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (D(2026, 12, 5), "in 7 months"),
        (D(2027, 7, 1), "in 4 weeks"),
        (D(2027, 7, 24), "in 7 days"),
        (D(2027, 7, 31), "today"),
        (D(2027, 8, 12), "overdue by 12 days"),
    ],
)
def test_the_countdown_in_words(today, words):
    assert cycle.countdown(D(2027, 7, 31), today) == words


def test_the_steering_groups_dashboard_counts_down(personas, client):
    with time_machine.travel(datetime.datetime(2026, 12, 5, 12, 0), tick=False):
        commitment = make(D(2023, 7, 1), lead=personas.steering)
        submitted(commitment, 1, D(2024, 7, 31), submitted_on=D(2024, 7, 22))
        client.force_login(personas.steering)
        page = client.get("/").content.decode()
        assert "Stage 2 due 31 July 2027, in 7 months" in page
        client.force_login(personas.technician)
        assert "Stage 2 due" not in client.get("/").content.decode()


def test_the_dashboard_shows_a_submission_and_its_state_as_soon_as_they_change(personas, client):
    """The panel is written once for the steering group, HR and administrators, and again
    at the next visit after any change to the Commitment or a submission."""
    with time_machine.travel(datetime.datetime(2026, 12, 5, 12, 0), tick=False):
        commitment = make(D(2023, 7, 1), lead=personas.steering)
        client.force_login(personas.steering)
        assert "Stage 1 due 31 July 2024, overdue by" in client.get("/").content.decode()
        stage_1 = Submission.objects.create(commitment=commitment, stage=1, due_on=D(2024, 7, 31))
        stage_1.status = "drafting"
        stage_1.save()
        client.force_login(personas.hr)
        assert "overdue by 857 days</strong> (drafting)." in client.get("/").content.decode()
        Submission.objects.filter(pk=stage_1.pk).update(
            status="submitted", submitted_on=D(2024, 7, 22)
        )
        versions.commitment_changed()  # what a bulk write must do: an update sends no signal
        assert "Stage 2 due 31 July 2027, in 7 months" in client.get("/").content.decode()
