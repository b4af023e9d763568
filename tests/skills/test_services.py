"""Reviews, validation by the line manager only, skills to learn, and every shadowing
transition, allowed and refused (a refusal changes nothing), with their notifications."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.models import Notification
from skills import reminders as skills_reminders
from skills import services as skill_services
from skills.models import ShadowingRequest, TechnicianSkill
from technicians.models import Technician
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
S = ShadowingRequest.Status


@pytest.fixture
def skill(db):
    return factories.SkillFactory(name="HPLC", category="Analytical")


@pytest.fixture
def people(personas, skill):
    """The technician (learner), their manager, and a trainer in another department with a
    line manager of their own."""
    other = factories.DepartmentFactory(
        name="Pharmacy", slug="pharmacy", faculty="Faculty of Science"
    )
    boss_user = make_user("bea.boss@example.ac.uk")
    boss = factories.TechnicianFactory(user=boss_user, email=boss_user.email, department=other)
    trainer_user = make_user("terry.trainer@example.ac.uk")
    trainer = factories.TechnicianFactory(
        user=trainer_user,
        email=trainer_user.email,
        department=other,
        line_manager=boss,
        first_name="Terry",
        last_name="Trainer",
    )
    factories.TechnicianSkillFactory(
        technician=trainer, skill=skill, level=4, confirmed_on=datetime.date(2026, 1, 1)
    )
    personas.trainer_user, personas.trainer, personas.boss_user = trainer_user, trainer, boss_user
    return personas


def notified(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("technician__email", flat=True)
    )


# --- validation --------------------------------------------------------------------------


def test_the_line_manager_validates_a_team_members_level(people, skill):
    row = factories.TechnicianSkillFactory(
        technician=people.technician_profile, skill=skill, level=3
    )
    skill_services.validate_skill(row, level=2, by=people.manager)
    row.refresh_from_db()
    assert (row.validated_level, row.validated_by, row.validated_on) == (
        2,
        people.manager,
        timezone.localdate(),
    )
    assert row.validation_differs


@pytest.mark.parametrize("who", ["technician", "hr", "steering", "trainer_user", "admin"])
def test_nobody_else_validates(people, skill, who):
    row = factories.TechnicianSkillFactory(
        technician=people.technician_profile, skill=skill, level=3
    )
    with pytest.raises(PermissionDenied):
        skill_services.validate_skill(row, level=4, by=getattr(people, who))
    row.refresh_from_db()
    assert row.validated_level is None


def test_a_technician_cannot_validate_themselves(people, skill):
    row = factories.TechnicianSkillFactory(technician=people.manager_profile, skill=skill, level=4)
    # Even a manager who is (wrongly) their own line manager.
    Technician.objects.filter(pk=people.manager_profile.pk).update(
        line_manager=people.manager_profile
    )
    row.refresh_from_db()
    with pytest.raises(PermissionDenied, match="your own"):
        skill_services.validate_skill(row, level=4, by=people.manager)


def test_a_bad_level_is_refused(people, skill):
    row = factories.TechnicianSkillFactory(technician=people.technician_profile, skill=skill)
    with pytest.raises(ValidationError):
        skill_services.validate_skill(row, level=5, by=people.manager)


# --- confirming and skills to learn -----------------------------------------------------------


def test_confirm_skills_makes_them_fresh(people, skill):
    row = factories.TechnicianSkillFactory(
        technician=people.technician_profile, skill=skill, confirmed_on=datetime.date(2020, 1, 1)
    )
    assert skill_services.confirm_skills(people.technician_profile, by=people.technician) == 1
    row.refresh_from_db()
    assert row.confirmed_on == timezone.localdate()


def test_only_the_technician_confirms_their_skills(people, skill):
    factories.TechnicianSkillFactory(technician=people.technician_profile, skill=skill)
    for user in (people.manager, people.hr):
        with pytest.raises(PermissionDenied):
            skill_services.confirm_skills(people.technician_profile, by=user)


def test_wanting_to_learn_a_skill_not_held_adds_it_at_aware(people, skill):
    me = people.technician_profile
    row = skill_services.set_wants_to_learn(me, skill, wants=True, by=people.technician)
    assert (row.level, row.wants_to_learn) == (1, True)
    assert skill_services.set_wants_to_learn(me, skill, wants=False, by=people.technician) is None
    assert not TechnicianSkill.objects.filter(technician=me).exists()


def test_wanting_to_go_further_keeps_the_level(people, skill):
    me = people.technician_profile
    factories.TechnicianSkillFactory(technician=me, skill=skill, level=3)
    skill_services.set_wants_to_learn(me, skill, wants=True, by=people.technician)
    skill_services.set_wants_to_learn(me, skill, wants=False, by=people.technician)
    row = TechnicianSkill.objects.get(technician=me)
    assert (row.level, row.wants_to_learn) == (3, False)


def test_nobody_marks_skills_for_someone_else(people, skill):
    with pytest.raises(PermissionDenied):
        skill_services.set_wants_to_learn(
            people.technician_profile, skill, wants=True, by=people.manager
        )


# --- shadowing --------------------------------------------------------------------------------


def ask(people, skill, **kw):
    return skill_services.request_shadowing(
        people.trainer, skill, by=people.technician, note="Tuesday mornings?", **kw
    )


def test_asking_tells_the_teacher_and_both_line_managers(
    people, skill, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(people, skill)
    assert (request.learner, request.teacher, request.status) == (
        people.technician_profile,
        people.trainer,
        S.REQUESTED,
    )
    assert notified("skills.shadowing_requested") == ["terry.trainer@example.ac.uk"]
    assert notified("skills.shadowing_requested_manager") == [
        "bea.boss@example.ac.uk",
        "morgan.manager@example.ac.uk",
    ]


def test_asking_twice_is_refused(people, skill):
    ask(people, skill)
    with pytest.raises(ValidationError, match="already asked"):
        ask(people, skill)
    assert ShadowingRequest.objects.count() == 1


def test_asking_someone_who_cannot_train_others_is_refused(people, skill):
    TechnicianSkill.objects.filter(technician=people.trainer).update(level=3)
    with pytest.raises(ValidationError, match="train others"):
        ask(people, skill)
    assert not ShadowingRequest.objects.exists()


def test_asking_oneself_or_a_hidden_colleague_is_refused(people, skill):
    factories.TechnicianSkillFactory(technician=people.technician_profile, skill=skill, level=4)
    with pytest.raises(PermissionDenied):
        skill_services.request_shadowing(people.technician_profile, skill, by=people.technician)
    Technician.objects.filter(pk=people.trainer.pk).update(visibility="private")
    people.trainer.refresh_from_db()
    with pytest.raises(PermissionDenied):
        ask(people, skill)
    with pytest.raises(PermissionDenied):  # someone without a technician profile
        skill_services.request_shadowing(people.trainer, skill, by=people.steering)
    assert not ShadowingRequest.objects.exists()


TRANSITIONS = {
    "accept": (skill_services.accept_shadowing, "trainer_user", {S.REQUESTED}, S.ACCEPTED),
    "decline": (skill_services.decline_shadowing, "trainer_user", {S.REQUESTED}, S.DECLINED),
    "cancel": (
        skill_services.cancel_shadowing,
        "technician",
        {S.REQUESTED, S.ACCEPTED},
        S.CANCELLED,
    ),
    "done_by_learner": (skill_services.complete_shadowing, "technician", {S.ACCEPTED}, S.DONE),
    "done_by_teacher": (skill_services.complete_shadowing, "trainer_user", {S.ACCEPTED}, S.DONE),
}


@pytest.mark.parametrize("name", TRANSITIONS)
@pytest.mark.parametrize("start", list(S))
def test_every_transition_from_every_state(people, skill, name, start):
    service, actor, allowed_from, target = TRANSITIONS[name]
    request = ask(people, skill)
    ShadowingRequest.objects.filter(pk=request.pk).update(status=start)
    request.refresh_from_db()
    if start in allowed_from:
        result = service(request, by=getattr(people, actor))
        assert result.status == target
        request.refresh_from_db()
        assert request.status == target
        if target in (S.ACCEPTED, S.DECLINED):
            assert request.decided_at is not None
        if target == S.DONE:
            assert request.completed_at is not None
    else:
        before = Notification.objects.count()
        with pytest.raises(ValidationError):
            service(request, by=getattr(people, actor))
        request.refresh_from_db()
        assert request.status == start
        assert Notification.objects.count() == before


WRONG_PEOPLE = {
    "accept": ["technician", "manager", "hr", "admin", "boss_user"],
    "decline": ["technician", "manager", "hr", "admin"],
    "cancel": ["trainer_user", "manager", "hr", "admin"],
    "done_by_learner": ["manager", "hr", "steering", "boss_user"],
}


@pytest.mark.parametrize(
    ("name", "who"), [(name, who) for name, whos in WRONG_PEOPLE.items() for who in whos]
)
def test_the_wrong_person_is_refused(people, skill, name, who):
    service, _actor, allowed_from, _target = TRANSITIONS[name]
    request = ask(people, skill)
    start = S.ACCEPTED if S.REQUESTED not in allowed_from else S.REQUESTED
    ShadowingRequest.objects.filter(pk=request.pk).update(status=start)
    request.refresh_from_db()
    with pytest.raises(PermissionDenied):
        service(request, by=getattr(people, who))
    request.refresh_from_db()
    assert request.status == start


def test_accepting_tells_the_learner_and_both_managers(people, skill):
    request = ask(people, skill)
    skill_services.accept_shadowing(request, by=people.trainer_user, note="Come on Tuesday.")
    assert notified("skills.shadowing_accepted") == ["alex.tech@example.ac.uk"]
    assert notified("skills.shadowing_accepted_manager") == [
        "bea.boss@example.ac.uk",
        "morgan.manager@example.ac.uk",
    ]
    skill_services.complete_shadowing(request, by=people.technician)
    assert notified("skills.shadowing_done") == ["terry.trainer@example.ac.uk"]


def test_a_new_request_after_a_declined_one(people, skill):
    skill_services.decline_shadowing(ask(people, skill), by=people.trainer_user)
    assert notified("skills.shadowing_declined") == ["alex.tech@example.ac.uk"]
    assert ask(people, skill).status == S.REQUESTED


# --- the yearly review reminder -------------------------------------------------------------


def test_review_reminder_at_its_boundary_and_only_once(people, skill):
    confirmed = datetime.date(2025, 3, 10)
    factories.TechnicianSkillFactory(
        technician=people.technician_profile, skill=skill, confirmed_on=confirmed
    )
    factories.TechnicianSkillFactory(
        technician=people.manager_profile, skill=skill, confirmed_on=datetime.date(2026, 1, 1)
    )
    last_fresh, first_stale = datetime.date(2026, 3, 10), datetime.date(2026, 3, 11)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False):
        assert skills_reminders.queue_skill_review_reminders(last_fresh) == 0
    with time_machine.travel(datetime.datetime(2026, 3, 11, 12, tzinfo=datetime.UTC), tick=False):
        assert skills_reminders.queue_skill_review_reminders(first_stale) == 1
        assert skills_reminders.queue_skill_review_reminders(first_stale) == 0
    later = datetime.date(2026, 6, 1)
    assert skills_reminders.queue_skill_review_reminders(later) == 0  # still the same ratings
    assert notified("skills.review_due") == ["alex.tech@example.ac.uk"]
    message = Notification.objects.get(kind="skills.review_due")
    assert "/technicians/skills/review/" in message.body


def test_review_reminder_again_after_confirming_and_going_stale(people, skill):
    factories.TechnicianSkillFactory(
        technician=people.technician_profile, skill=skill, confirmed_on=datetime.date(2024, 1, 1)
    )
    assert skills_reminders.queue_skill_review_reminders(datetime.date(2025, 6, 1)) == 1
    TechnicianSkill.objects.filter(technician=people.technician_profile).update(
        confirmed_on=datetime.date(2025, 6, 1)
    )
    assert skills_reminders.queue_skill_review_reminders(datetime.date(2026, 6, 1)) == 0
    assert skills_reminders.queue_skill_review_reminders(datetime.date(2026, 6, 2)) == 1


def test_the_review_reminder_reads_right_in_the_singular_and_the_plural(people, skill):
    old = datetime.date(2024, 1, 1)
    factories.TechnicianSkillFactory(
        technician=people.technician_profile, skill=skill, confirmed_on=old
    )
    for name in ("HPLC", "GC-MS"):
        factories.TechnicianSkillFactory(
            technician=people.manager_profile,
            skill=factories.SkillFactory(name=name),
            confirmed_on=old,
        )
    assert skills_reminders.queue_skill_review_reminders(datetime.date(2025, 6, 1)) == 2
    one = Notification.objects.get(kind="skills.review_due", technician=people.technician_profile)
    two = Notification.objects.get(kind="skills.review_due", technician=people.manager_profile)
    assert one.subject == "1 of your skills is due for review"
    assert "1 of the skill levels on your profile has not been confirmed" in one.body
    assert "check it is still right, and confirm or change it:" in one.body
    assert two.subject == "2 of your skills are due for review"
    assert "2 of the skill levels on your profile have not been confirmed" in two.body
    assert "check they are still right, and confirm or change them:" in two.body


def test_no_review_reminder_for_leavers(people, skill):
    factories.TechnicianSkillFactory(technician=people.technician_profile, skill=skill)
    Technician.objects.filter(pk=people.technician_profile.pk).update(is_active=False)
    assert skills_reminders.queue_skill_review_reminders(datetime.date(2026, 6, 2)) == 0


def test_setting_a_level_on_the_profile_confirms_it(people, skill):
    me = people.technician_profile
    old = factories.SkillFactory(name="GC-MS")
    kept = factories.TechnicianSkillFactory(
        technician=me, skill=old, level=2, confirmed_on=datetime.date(2020, 1, 1)
    )
    skill_services.set_skills(me, [(skill, 3), (old, 2)], by=people.technician)
    assert TechnicianSkill.objects.get(technician=me, skill=skill).confirmed_on == (
        timezone.localdate()
    )
    kept.refresh_from_db()
    assert kept.confirmed_on == datetime.date(2020, 1, 1)  # unchanged level: not reconfirmed
    skill_services.set_skills(me, [(skill, 3), (old, 3)], by=people.technician)
    kept.refresh_from_db()
    assert kept.confirmed_on == timezone.localdate()
