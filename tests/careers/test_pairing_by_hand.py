"""The coordinator pairs two applicants by hand with the people picker (a search box with
suggestions, never a <select> of every technician): the mentor among the round's mentors, the
mentee among its mentees; a name, an e-mail address or a staff number is taken, and every
refusal is shown on the form."""

import pytest

from careers.models import MentoringPair
from tests import factories
from tests.careers.conftest import apply, make_round


@pytest.fixture
def round_with_applicants(db, personas):
    nmr = factories.SkillFactory(name="NMR", category="Topics")
    round = make_round()
    mira = factories.TechnicianFactory(
        first_name="Mira", last_name="Mentor", email="mira@example.ac.uk"
    )
    eve = factories.TechnicianFactory(
        first_name="Eve", last_name="Mentee", email="eve@example.ac.uk"
    )
    apply(round, mira, mentor=True, offered=[nmr])
    apply(round, eve, mentee=True, sought=[nmr])
    # Applied as a mentee elsewhere only, and a mentor here who is Eve's line manager.
    outsider = factories.TechnicianFactory(first_name="Otto", email="otto@example.ac.uk")
    apply(make_round(name="Autumn"), outsider, mentee=True, sought=[nmr])
    boss = factories.TechnicianFactory(
        first_name="Bea", last_name="Boss", email="bea@example.ac.uk"
    )
    eve.line_manager = boss
    eve.save()
    apply(round, boss, mentor=True, offered=[nmr])
    return {"round": round, "mira": mira, "eve": eve, "outsider": outsider, "boss": boss}


def url(round):
    return f"/careers/mentoring/rounds/{round.pk}/pair/"


@pytest.mark.django_db
def test_the_round_page_draws_search_boxes_not_a_list_of_everyone(
    round_with_applicants, personas, login
):
    round = round_with_applicants["round"]
    html = login(personas.coordinator).get(f"/careers/mentoring/rounds/{round.pk}/").content
    html = html.decode()
    assert html.count('role="combobox"') == 2
    assert 'id="make-mentor"' in html and 'id="make-mentee"' in html
    assert "/technicians/people/search/" in html
    assert '<select name="mentor"' not in html and '<select name="mentee"' not in html


@pytest.mark.django_db
def test_pairing_by_email_or_by_a_name_that_names_one_applicant(
    round_with_applicants, personas, login
):
    world = round_with_applicants
    response = login(personas.coordinator).post(
        url(world["round"]), {"mentor": "Mira Mentor", "mentee": "eve@example.ac.uk"}
    )
    assert response.status_code == 302
    pair = MentoringPair.objects.get(round=world["round"])
    assert (pair.mentor, pair.mentee, pair.pinned) == (world["mira"], world["eve"], True)
    assert pair.events.get().kind == "paired"


@pytest.mark.django_db
def test_only_the_rounds_applicants_can_be_chosen(round_with_applicants, personas, login):
    world = round_with_applicants
    client = login(personas.coordinator)
    # Otto applied to another round; Eve applied as a mentee, not as a mentor.
    for data in (
        {"mentor": "mira@example.ac.uk", "mentee": "otto@example.ac.uk"},
        {"mentor": "eve@example.ac.uk", "mentee": "eve@example.ac.uk"},
        {"mentor": "", "mentee": ""},
    ):
        response = client.post(url(world["round"]), data)
        assert response.status_code == 400
        assert not MentoringPair.objects.exists()
    response = client.post(
        url(world["round"]), {"mentor": "mira@example.ac.uk", "mentee": "otto@example.ac.uk"}
    )
    assert "Nobody you can choose here matches “otto@example.ac.uk”." in response.content.decode()


@pytest.mark.django_db
def test_a_hard_rule_refusal_is_shown_on_the_form(round_with_applicants, personas, login):
    world = round_with_applicants
    response = login(personas.coordinator).post(
        url(world["round"]), {"mentor": "bea@example.ac.uk", "mentee": "eve@example.ac.uk"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bea Boss cannot mentor Eve Mentee" in html
    assert 'value="bea@example.ac.uk"' in html  # what was typed stays in the box
    assert not MentoringPair.objects.exists()
