"""Profiles (/technicians/<id>/) and editing your own (/technicians/me/)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skills.models import TechnicianSkill
from technicians import services
from technicians.models import Technician
from tests import factories


def url(technician) -> str:
    return f"/technicians/{technician.pk}/"


def snapshot(technician):
    """Everything stored about a technician, to check that nothing changed."""
    row = Technician.objects.values().get(pk=technician.pk)
    row.pop("updated")
    skills = sorted(
        TechnicianSkill.objects.filter(technician=technician).values_list("skill_id", "level")
    )
    return row, skills


# --- seeing a profile ---------------------------------------------------------------------


@pytest.fixture
def profiles(personas):
    department = personas.technician_profile.department

    def make(visibility, **extra):
        return factories.TechnicianFactory(
            department=department,
            visibility=visibility,
            user=factories.UserFactory(),
            **extra,
        )

    return {
        "public": make(Technician.Visibility.PUBLIC),
        "internal": make(Technician.Visibility.INTERNAL),
        "private": make(Technician.Visibility.PRIVATE, line_manager=personas.manager_profile),
        "leaver": make(Technician.Visibility.PUBLIC, is_active=False),
    }


# Who may see which profile: private ones only their owner, HR and administrators (not even
# their line manager); leavers only HR and administrators; anonymous visitors log in first.
def expect(anonymous, colleagues, hr_and_admin=200):
    return {
        "anonymous": anonymous,
        **dict.fromkeys(["technician", "manager", "steering"], colleagues),
        "hr": hr_and_admin,
        "admin": hr_and_admin,
    }


VISIBILITY = {
    "public": expect(200, 200),
    "internal": expect(302, 200),
    "private": expect(302, 404),
    "leaver": expect(302, 404),
}


@pytest.mark.parametrize("kind", VISIBILITY)
def test_who_sees_which_profile(kind, profiles, personas, login):
    for persona, status in VISIBILITY[kind].items():
        response = login(getattr(personas, persona)).get(url(profiles[kind]))
        assert response.status_code == status, (kind, persona)
        if status == 302:
            assert response["Location"].startswith("/accounts/login/?next=/technicians/")


def test_owners_see_their_own_private_profile_but_not_once_they_have_left(profiles, login):
    assert login(profiles["private"].user).get(url(profiles["private"])).status_code == 200
    assert login(profiles["leaver"].user).get(url(profiles["leaver"])).status_code == 404


def test_a_profile_that_does_not_exist(personas, login):
    assert login(personas.technician).get("/technicians/999999/").status_code == 404
    # Anonymous visitors cannot tell a missing profile from a hidden one.
    assert login(None).get("/technicians/999999/").status_code == 302


@pytest.fixture
def full_profile(personas):
    technician = personas.technician_profile
    technician.grade = "7"
    technician.is_apprentice = True
    technician.role_family = Technician.RoleFamily.RESEARCH
    technician.bio = "I look after the NMR suite."
    technician.expertise = "Solid-state NMR"
    technician.equipment = "Bruker 600 MHz spectrometer"
    technician.orcid = "0000-0002-1825-0097"
    technician.visibility = Technician.Visibility.PUBLIC
    technician.save()
    factories.TechnicianSkillFactory(technician=technician, skill__name="NMR spectroscopy", level=4)
    factories.TechnicianSkillFactory(technician=technician, skill__name="Glovebox work", level=1)
    personas.manager_profile.visibility = Technician.Visibility.INTERNAL
    personas.manager_profile.save()
    return technician


def test_a_profile_shows_everything_to_staff(full_profile, personas, login):
    html = login(personas.steering).get(url(full_profile)).content.decode()
    for text in [
        "<h1>Alex Tech</h1>",
        "Senior Laboratory Technician",
        "Grade 7",
        '<a href="/technicians/departments/chemistry/">Chemistry</a>',
        "Research facility",
        "Apprentice",
        "I look after the NMR suite.",
        "Solid-state NMR",
        "Bruker 600 MHz spectrometer",
        '<th scope="row">NMR spectroscopy</th>',
        "4 of 4: Can train others",
        "1 of 4: Aware",
        'href="https://orcid.org/0000-0002-1825-0097"',
        "Line manager",
        f'<a href="/technicians/{personas.manager_profile.pk}/">Morgan Manager</a>',
        'href="mailto:alex.tech@example.ac.uk"',
        '<span class="avatar avatar-large" aria-hidden="true">AT</span>',
    ]:
        assert text in html, text


def test_a_public_profile_shows_anonymous_visitors_no_e_mail_address(full_profile, login):
    response = login(None).get(url(full_profile))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Alex Tech</h1>" in html and "Solid-state NMR" in html
    assert "alex.tech@example.ac.uk" not in html and "mailto:" not in html
    # HR details and links into the staff-only pages are for staff.
    assert "Grade 7" not in html and "Morgan Manager" not in html
    assert "/technicians/departments/" not in html


def test_the_line_manager_is_not_named_when_their_profile_is_hidden(full_profile, login):
    # Only where the viewer may see that person (tests/technicians/test_person_link.py).
    manager = full_profile.line_manager
    manager.visibility = Technician.Visibility.PRIVATE
    manager.save()
    html = login(factories.UserFactory()).get(url(full_profile)).content.decode()
    assert "Morgan Manager" not in html
    assert f'href="/technicians/{manager.pk}/"' not in html


def test_the_photo_comes_from_the_permission_checked_view(full_profile, personas, login):
    factories.attach_photo(full_profile)
    html = login(personas.technician).get(url(full_profile)).content.decode()
    assert f'<img src="/technicians/{full_profile.pk}/photo/full/?v=' in html
    assert 'alt="Photo of Alex Tech"' in html
    assert "/media/" not in html


def test_the_owner_gets_an_edit_link(full_profile, personas, login):
    assert (
        'href="/technicians/me/"'
        in login(personas.technician).get(url(full_profile)).content.decode()
    )
    html = login(personas.manager).get(url(full_profile)).content.decode()
    assert "Edit my profile" not in html


@pytest.mark.parametrize("size", [10, 300])
def test_a_profile_runs_a_fixed_number_of_queries(
    size, full_profile, personas, login, django_assert_max_num_queries
):
    department = full_profile.department
    Technician.objects.bulk_create(
        factories.TechnicianFactory.build_batch(
            size, department=department, line_manager=full_profile
        )
    )
    skills = [factories.SkillFactory() for _ in range(size // 10)]
    TechnicianSkill.objects.bulk_create(
        TechnicianSkill(technician=full_profile, skill=skill, level=2) for skill in skills
    )
    client = login(personas.manager)
    client.get("/")
    # 8: with the post-nominals (one query) and recognition's block (awards and outputs: one)
    with django_assert_max_num_queries(8):
        response = client.get(url(full_profile))
    assert response.status_code == 200


# --- editing my profile -------------------------------------------------------------------


def form_data(technician, skills=(), **overrides):
    """What the browser sends for /technicians/me/: `skills` is a list of (skill, level)."""
    data = {
        "bio": technician.bio,
        "expertise": technician.expertise,
        "equipment": technician.equipment,
        "orcid": technician.orcid,
        "visibility": technician.visibility,
        "skills-TOTAL_FORMS": str(len(skills)),
        "skills-INITIAL_FORMS": "0",
    }
    for index, (skill, level) in enumerate(skills):
        data[f"skills-{index}-skill"] = str(getattr(skill, "pk", skill))
        data[f"skills-{index}-level"] = str(level)
    data.update(overrides)
    return data


@pytest.fixture
def me(personas, login):
    return login(personas.technician), personas.technician_profile


@pytest.fixture
def skills():
    return {
        "nmr": factories.SkillFactory(name="NMR spectroscopy", category="Analytical"),
        "weld": factories.SkillFactory(name="TIG welding", category="Engineering"),
        "py": factories.SkillFactory(name="Python", category="Digital"),
    }


def test_the_page_shows_hr_fields_but_does_not_let_me_edit_them(me):
    client, technician = me
    html = client.get("/technicians/me/").content.decode()
    assert "Kept by HR" in html
    assert technician.staff_number in html and "alex.tech@example.ac.uk" in html
    for hr_field in [
        "first_name",
        "last_name",
        "email",
        "staff_number",
        "department",
        "job_title",
        "grade",
        "line_manager",
    ]:
        assert f'name="{hr_field}"' not in html
    for own_field in ["bio", "expertise", "equipment", "orcid", "visibility", "new_photo"]:
        assert f'name="{own_field}"' in html


def test_the_skill_list_is_grouped_by_category(me, skills):
    client, _ = me
    html = client.get("/technicians/me/").content.decode()
    assert '<optgroup label="Engineering">' in html
    assert f'<option value="{skills["weld"].pk}">TIG welding</option>' in html


def test_editing_my_profile(me, skills):
    client, technician = me
    response = client.post(
        "/technicians/me/",
        form_data(
            technician,
            skills=[(skills["nmr"], 4), (skills["py"], 2)],
            bio="Twenty years in NMR.",
            expertise="Solid-state NMR",
            equipment="600 MHz spectrometer",
            orcid="https://orcid.org/0000-0002-1694-233x",
            visibility="public",
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/technicians/me/"
    technician.refresh_from_db()
    assert technician.bio == "Twenty years in NMR."
    assert technician.expertise == "Solid-state NMR"
    assert technician.equipment == "600 MHz spectrometer"
    assert technician.orcid == "0000-0002-1694-233X"
    assert technician.visibility == "public"
    assert sorted(technician.technician_skills.values_list("skill__name", "level")) == [
        ("NMR spectroscopy", 4),
        ("Python", 2),
    ]
    assert "Your profile has been saved." in client.get("/technicians/me/").content.decode()


def test_changing_and_removing_skills(me, skills):
    client, technician = me
    nmr = factories.TechnicianSkillFactory(technician=technician, skill=skills["nmr"], level=1)
    weld = factories.TechnicianSkillFactory(technician=technician, skill=skills["weld"], level=3)
    data = form_data(technician)
    data.update(
        {
            "skills-TOTAL_FORMS": "3",
            "skills-INITIAL_FORMS": "2",
            "skills-0-id": str(nmr.pk),
            "skills-0-technician": str(technician.pk),
            "skills-0-skill": str(skills["nmr"].pk),
            "skills-0-level": "3",
            "skills-1-id": str(weld.pk),
            "skills-1-technician": str(technician.pk),
            "skills-1-skill": str(skills["weld"].pk),
            "skills-1-level": "3",
            "skills-1-DELETE": "on",
            "skills-2-skill": "",
            "skills-2-level": "",
        }
    )
    assert client.post("/technicians/me/", data).status_code == 302
    assert list(technician.technician_skills.values_list("skill__name", "level")) == [
        ("NMR spectroscopy", 3)
    ]


def test_hr_fields_sent_anyway_are_ignored(me):
    client, technician = me
    before = snapshot(technician)
    other = factories.DepartmentFactory(slug="physics")
    response = client.post(
        "/technicians/me/",
        form_data(
            technician,
            first_name="Mallory",
            email="mallory@example.ac.uk",
            staff_number="X999",
            department=other.pk,
            job_title="Head of Everything",
            grade="10",
            line_manager="",
            is_active="",
            user="",
        ),
    )
    assert response.status_code == 302
    assert snapshot(technician) == before


REFUSALS = {
    "a wrong ORCID check digit": (
        {"orcid": "0000-0002-1825-0098"},
        "This ORCID iD&#x27;s check digit is wrong",
    ),
    "an ORCID iD in the wrong shape": ({"orcid": "12345"}, "An ORCID iD looks like"),
    "an unknown visibility": ({"visibility": "everyone"}, "Select a valid choice"),
    "a bio that is too long": ({"bio": "x" * 3001}, "at most 3000 characters"),
    "a duplicate skill": (
        {"skills": [("nmr", 2), ("nmr", 3)]},
        "You listed “NMR spectroscopy” more than once: keep one row per skill",
    ),
    "a level above 4": (
        {"skills": [("nmr", 5)]},
        "Choose a level from 1 (aware) to 4 (can train others).",
    ),
    "a level of 0": (
        {"skills": [("nmr", 0)]},
        "Choose a level from 1 (aware) to 4 (can train others).",
    ),
    "a level that is not a number": (
        {"skills": [("nmr", "expert")]},
        "Choose a level from 1 (aware) to 4 (can train others).",
    ),
    "a skill without a level": ({"skills": [("nmr", "")]}, "Choose a level for this skill."),
    "a level without a skill": ({"skills": [("", 3)]}, "Choose a skill for this row"),
    "an unknown skill": ({"skills": [(999999, 3)]}, "That skill is not on the list."),
    "both a new photo and removing it": (
        {"remove_photo": "on", "photo": True},
        "Choose either a new photo or removing your photo, not both.",
    ),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_bad_input_is_refused_with_a_message_and_nothing_changes(case, me, skills):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, technician = me
    factories.TechnicianSkillFactory(technician=technician, skill=skills["py"], level=2)
    factories.attach_photo(technician)
    before = snapshot(technician)
    changes, message = REFUSALS[case]
    changes = dict(changes)
    chosen = [
        (skills[key].pk if isinstance(key, str) and key else key, level)
        for key, level in changes.pop("skills", [])
    ]
    if changes.pop("photo", False):
        changes["new_photo"] = SimpleUploadedFile("me.png", factories.image_bytes("PNG"))

    response = client.post(
        "/technicians/me/",
        form_data(technician, skills=chosen, bio="Must not be saved", **changes)
        if "bio" not in changes
        else form_data(technician, skills=chosen, **changes),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Your profile was not saved" in html
    assert snapshot(technician) == before


@pytest.mark.parametrize(
    "forged",
    [
        {"technician": "other", "level": "1"},
        {"technician": "other", "level": "1", "DELETE": "on"},
        {"technician": "me", "level": "1"},
        {"technician": "me", "level": "1", "DELETE": "on"},
    ],
)
def test_i_cannot_edit_someone_elses_skills_by_forging_ids(forged, me, personas, skills):
    client, technician = me
    other = personas.manager_profile
    theirs = factories.TechnicianSkillFactory(technician=other, skill=skills["weld"], level=4)
    before = snapshot(other)
    data = form_data(technician)
    data.update(
        {
            "skills-TOTAL_FORMS": "1",
            "skills-INITIAL_FORMS": "1",
            "skills-0-id": str(theirs.pk),
            "skills-0-technician": str(
                other.pk if forged["technician"] == "other" else technician.pk
            ),
            "skills-0-skill": str(skills["weld"].pk),
            **{f"skills-0-{key}": value for key, value in forged.items() if key != "technician"},
        }
    )
    response = client.post("/technicians/me/", data)
    assert response.status_code in (200, 302)
    assert snapshot(other) == before
    assert TechnicianSkill.objects.filter(pk=theirs.pk, technician=other, level=4).exists()


def test_the_service_refuses_to_edit_someone_elses_profile(personas):
    before = snapshot(personas.manager_profile)
    for intruder in (personas.technician, personas.steering, personas.coordinator):
        with pytest.raises(PermissionDenied):
            services.update_profile(personas.manager_profile, {"bio": "hacked"}, by=intruder)
    assert snapshot(personas.manager_profile) == before


def test_the_service_lets_hr_edit_a_profile(personas):
    services.update_profile(personas.manager_profile, {"bio": "Updated by HR"}, by=personas.hr)
    personas.manager_profile.refresh_from_db()
    assert personas.manager_profile.bio == "Updated by HR"


def test_the_service_refuses_hr_owned_fields(personas):
    before = snapshot(personas.technician_profile)
    with pytest.raises(ValidationError, match="kept by HR: email, job_title"):
        services.update_profile(
            personas.technician_profile,
            {"bio": "ok", "job_title": "Boss", "email": "x@example.ac.uk"},
            by=personas.technician,
        )
    assert snapshot(personas.technician_profile) == before


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (lambda s: [(s["nmr"], 2), (s["nmr"], 3)], "more than once"),
        (lambda s: [(s["nmr"], 5)], "choose a level from 1"),
    ],
)
def test_the_service_checks_skills_itself(personas, skills, chosen, message):
    """The skills part of the profile is saved with it: a refused list undoes the lot."""
    from skills.services import set_skills

    before = snapshot(personas.technician_profile)
    with pytest.raises(ValidationError, match=message):
        services.update_profile(
            personas.technician_profile,
            {"bio": "x"},
            also=[lambda technician: set_skills(technician, chosen(skills), by=personas.hr)],
            by=personas.technician,
        )
    assert snapshot(personas.technician_profile) == before


def test_the_service_checks_field_values(personas):
    before = snapshot(personas.technician_profile)
    with pytest.raises(ValidationError):
        services.update_profile(
            personas.technician_profile, {"orcid": "0000-0002-1825-0098"}, by=personas.technician
        )
    assert snapshot(personas.technician_profile) == before


def test_the_service_leaves_skills_alone_when_not_given(personas, skills):
    technician = personas.technician_profile
    factories.TechnicianSkillFactory(technician=technician, skill=skills["nmr"], level=2)
    services.update_profile(technician, {"bio": "New"}, by=personas.technician)
    assert technician.technician_skills.count() == 1


def test_staff_without_a_profile_are_told_why(personas, login):
    client = login(personas.steering)
    for response in (client.get("/technicians/me/"), client.post("/technicians/me/", {"bio": "x"})):
        assert response.status_code == 200
        html = response.content.decode()
        assert "sam.steering@example.ac.uk" in html
        assert "is not on the staff list" in html
        assert 'name="bio"' not in html


def test_a_leaver_cannot_edit_their_profile(personas, login):
    technician = personas.technician_profile
    technician.is_active = False
    technician.save()
    before = snapshot(technician)
    client = login(personas.technician)
    response = client.post("/technicians/me/", form_data(technician, bio="Changed"))
    assert response.status_code == 200
    assert "has left the university" in response.content.decode()
    assert snapshot(technician) == before


def test_anonymous_visitors_must_log_in_to_edit(db, login):
    response = login(None).get("/technicians/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/technicians/me/"


def test_my_profile_runs_a_fixed_number_of_queries(me, skills, django_assert_max_num_queries):
    client, technician = me
    client.get("/")
    counts = []
    for extra_skills in (1, 25):
        TechnicianSkill.objects.filter(technician=technician).delete()
        made = [factories.SkillFactory() for _ in range(extra_skills)]
        TechnicianSkill.objects.bulk_create(
            TechnicianSkill(technician=technician, skill=skill, level=2) for skill in made
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/technicians/me/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_my_skill_rows_are_mine_in_the_order_they_were_added(me, skills, personas):
    client, technician = me
    for key, level in (("py", 2), ("nmr", 4), ("weld", 1)):
        TechnicianSkill.objects.create(technician=technician, skill=skills[key], level=level)
    other = factories.TechnicianFactory(department=technician.department)
    TechnicianSkill.objects.create(technician=other, skill=skills["nmr"], level=3)
    html = client.get("/technicians/me/").content.decode()
    assert 'name="skills-INITIAL_FORMS" value="3"' in html
    chosen = [
        re.search(
            rf'name="skills-{row}-skill".*?<option value="(\d+)" selected>', html, re.DOTALL
        ).group(1)
        for row in range(3)
    ]
    assert chosen == [str(skills[key].pk) for key in ("py", "nmr", "weld")]
