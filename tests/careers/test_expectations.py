"""A band's expectations judged against live data, at their boundaries: the training-days
average over the last two years exactly at the target, a lapsed registration, skills by name
and by category, years of experience; and a person's band from their grade or HR's override."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from careers import expectations, selectors, services
from careers.models import Band
from careers.versions import LADDER
from portal import versions
from registration.models import ProfessionalBody, Registration
from tests import factories
from tests.careers.conftest import TODAY
from training.models import TrainingRecord


def facts_of(technician, today=TODAY):
    return expectations.load_facts([technician], today)[technician.pk]


def result(band, technician, kind, today=TODAY):
    found = [r for r in expectations.judge(band, facts_of(technician, today)) if r.kind == kind]
    assert len(found) == 1
    return found[0]


def record(technician, date, days):
    return TrainingRecord.objects.create(
        technician=technician, date=date, days=Decimal(days), category="formal", title="Course"
    )


@pytest.mark.django_db
class TestTrainingDays:
    def test_an_average_of_exactly_the_target_meets_it(self, ladder):
        person = factories.TechnicianFactory()
        # 16 days in the last two years: 8 a year, the band's target exactly.
        record(person, TODAY, "6")
        record(person, datetime.date(2024, 3, 11), "10")  # the first day of the window
        assert result(ladder["second"], person, "training_days").met

    def test_a_day_outside_the_window_does_not_count(self, ladder):
        person = factories.TechnicianFactory()
        record(person, TODAY, "6")
        record(person, datetime.date(2024, 3, 10), "10")  # two years ago to the day: outside
        found = result(ladder["second"], person, "training_days")
        assert not found.met
        assert "3 days a year" in found.detail

    def test_just_below_the_target_does_not_meet_it(self, ladder):
        person = factories.TechnicianFactory()
        record(person, TODAY, "15.5")
        assert not result(ladder["second"], person, "training_days").met

    def test_the_target_is_pro_rata_by_fte(self, ladder):
        person = factories.TechnicianFactory(fte=Decimal("0.5"))
        record(person, TODAY, "8")  # 4 a year: half of 8
        assert result(ladder["second"], person, "training_days").met


@pytest.mark.django_db
class TestRegistration:
    def register(self, person, registers, code, status):
        body = ProfessionalBody.objects.filter(registers=registers[code]).first()
        return Registration.objects.create(
            technician=person, register=registers[code], body=body, status=status
        )

    def test_an_active_registration_meets_it(self, ladder, registers):
        person = factories.TechnicianFactory()
        self.register(person, registers, "RSciTech", Registration.Status.ACTIVE)
        assert result(ladder["second"], person, "registration").met

    def test_a_lapsed_registration_does_not_count(self, ladder, registers):
        person = factories.TechnicianFactory()
        self.register(person, registers, "RSciTech", Registration.Status.LAPSED)
        found = result(ladder["second"], person, "registration")
        assert not found.met
        assert "lapsed" in found.detail

    def test_a_registration_in_progress_does_not_count(self, ladder, registers):
        person = factories.TechnicianFactory()
        self.register(person, registers, "RSciTech", Registration.Status.IN_PROGRESS)
        assert not result(ladder["second"], person, "registration").met

    def test_a_higher_register_of_the_same_council_counts(self, ladder, registers):
        person = factories.TechnicianFactory()
        self.register(person, registers, "RSci", Registration.Status.ACTIVE)
        assert result(ladder["second"], person, "registration").met

    def test_another_council_does_not_count(self, ladder, registers):
        person = factories.TechnicianFactory()
        self.register(person, registers, "EngTech", Registration.Status.ACTIVE)
        assert not result(ladder["second"], person, "registration").met


@pytest.mark.django_db
class TestSkillsAndYears:
    def test_a_named_skill_at_the_level_meets_it_and_one_below_does_not(self, ladder):
        person = factories.TechnicianFactory()
        held = factories.TechnicianSkillFactory(technician=person, skill=ladder["nmr"], level=3)
        assert result(ladder["second"], person, "skill").met
        held.level = 2
        held.save()
        assert not result(ladder["second"], person, "skill").met

    def test_the_validated_level_wins_over_the_own_rating(self, ladder):
        person = factories.TechnicianFactory()
        factories.TechnicianSkillFactory(
            technician=person, skill=ladder["nmr"], level=4, validated_level=2
        )
        assert not result(ladder["second"], person, "skill").met

    def test_a_category_needs_the_number_of_skills_at_the_level(self, ladder):
        from skills.models import Skill

        person = factories.TechnicianFactory()
        factories.TechnicianSkillFactory(
            technician=person, skill=Skill.objects.get(name="HPLC"), level=2
        )
        assert not result(ladder["second"], person, "category").met
        factories.TechnicianSkillFactory(
            technician=person, skill=Skill.objects.get(name="GC-MS"), level=2
        )
        assert result(ladder["second"], person, "category").met

    def test_years_of_experience_count_whole_years_to_the_day(self, ladder):
        person = factories.TechnicianFactory(started_on=datetime.date(2023, 3, 10))
        assert result(ladder["second"], person, "experience").met
        person.started_on = datetime.date(2023, 3, 11)
        assert not result(ladder["second"], person, "experience").met


@pytest.mark.django_db
class TestPlacement:
    def test_the_band_comes_from_the_grade(self, ladder):
        person = factories.TechnicianFactory(grade="4", role_family="laboratory")
        placement = expectations.place(person, expectations.load_ladder([person]))
        assert placement.band == ladder["first"]
        assert placement.next_band == ladder["second"]

    def test_hr_overrides_the_band_with_a_reason(self, ladder, personas):
        person = factories.TechnicianFactory(grade="4")
        with pytest.raises(ValidationError):
            services.set_band_override(person, by=personas.hr, band=ladder["second"], reason="")
        with pytest.raises(PermissionDenied):
            services.set_band_override(
                person, by=personas.manager, band=ladder["second"], reason="Acting up."
            )
        services.set_band_override(
            person, by=personas.hr, band=ladder["second"], reason="Acting up since May."
        )
        placement = expectations.place(person, expectations.load_ladder([person]))
        assert placement.band == ladder["second"]
        assert placement.override.reason == "Acting up since May."
        assert placement.next_band is None

    def test_my_pathway_counts_what_is_met_and_says_how_to_close_each_gap(self, ladder):
        person = factories.TechnicianFactory(grade="4", started_on=datetime.date(2020, 1, 1))
        mine = selectors.my_pathway(person, TODAY)
        assert (mine.met, mine.total) == (1, 5)  # only the years
        helps = {row.result.kind: row.help for row in mine.rows if not row.result.met}
        assert any("registration" in h.url for h in helps["registration"])
        assert any("training" in h.url for h in helps["training_days"])

    def test_colleagues_who_can_teach_a_missing_skill_are_offered(self, ladder):
        person = factories.TechnicianFactory(grade="4")
        teacher = factories.TechnicianFactory(first_name="Tess", last_name="Teacher")
        factories.TechnicianSkillFactory(technician=teacher, skill=ladder["nmr"], level=4)
        mine = selectors.my_pathway(person, TODAY)
        skill_row = next(row for row in mine.rows if row.result.kind == "skill")
        assert any("Tess Teacher" in h.text for h in skill_row.help)


@pytest.mark.django_db
def test_the_pipeline_counts_people_at_each_band_and_who_meets_the_next(ladder, registers):
    ready = factories.TechnicianFactory(grade="4", started_on=datetime.date(2020, 1, 1))
    factories.TechnicianFactory(grade="4")
    factories.TechnicianFactory(grade="5")
    from skills.models import Skill

    for name, level in (("NMR spectroscopy", 3), ("HPLC", 2)):
        factories.TechnicianSkillFactory(
            technician=ready, skill=Skill.objects.get(name=name), level=level
        )
    record(ready, TODAY, "16")
    Registration.objects.create(
        technician=ready,
        register=registers["RSciTech"],
        body=ProfessionalBody.objects.filter(registers=registers["RSciTech"]).first(),
    )
    rows = {row.band.name if row.band else None: row for row in selectors.pipeline(TODAY)}
    assert (rows["Band 1"].people, rows["Band 1"].ready) == (2, 1)
    assert rows["Band 2"].people == 1


# --- the ladder, read once for everyone -------------------------------------------------------


def test_the_ladder_is_read_once_and_follows_every_change(ladder, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    expectations.load_ladder()
    with CaptureQueriesContext(connection) as queries:
        again = expectations.load_ladder()
    assert len(queries) == 2  # the version, and HR's overrides (a person's own, always live)
    assert [band.name for band in again.bands[ladder["pathway"].pk]] == ["Band 1", "Band 2"]

    services.save_band(ladder["second"], by=personas.hr, name="Senior")
    assert expectations.load_ladder().by_id[ladder["second"].pk].name == "Senior"
    ladder["nmr"].name = "Solid-state NMR"
    ladder["nmr"].save()  # the admin renames a skill a band names
    expectation = expectations.load_ladder().by_id[ladder["second"].pk].skill_expectations.all()
    assert "Solid-state NMR" in {row.skill.name for row in expectation if row.skill}
    ladder["first"].delete()
    assert ladder["first"].pk not in expectations.load_ladder().by_id


def test_the_ladder_is_read_once_for_every_reader_and_again_after_a_change(
    ladder, django_assert_num_queries
):
    first = expectations.load_ladder()
    with django_assert_num_queries(2):  # the versions, then the overrides: no rungs read
        again = expectations.load_ladder()
    assert again.pathways is first.pathways  # the same objects, not a copy
    Band.objects.filter(pk=ladder["second"].pk).update(name="Band 2 (senior)")
    versions.bump(LADDER)  # as the services' bulk paths do; a band's save moves it itself
    assert expectations.load_ladder().by_id[ladder["second"].pk].name == "Band 2 (senior)"
    ladder["first"].name = "Band 1 (entry)"
    ladder["first"].save()
    assert expectations.load_ladder().by_id[ladder["first"].pk].name == "Band 1 (entry)"
