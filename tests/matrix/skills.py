"""The skills matrix's URLs: the matrix and its CSV, one skill's page, reviews and validation,
skills to learn, demand, shadowing requests with their transitions, the units' skill needs
and the skills at risk."""

from skills.models import ShadowingRequest, UnitSkillNeed
from tests import factories
from tests.matrix import Row, everyone, staff

TECHNICIANS_ONLY = staff(403, technician=302, manager=302)  # a POST by someone with a profile
TECHNICIAN_PAGES = staff(403, technician=200, manager=200)
NEEDS_EDITORS = staff(403, steering=200, hr=200, admin=200)


def setup(world) -> None:
    skill = factories.SkillFactory(name="Matrix NMR", category="Analytical")
    world.matrix_skill = skill
    other = factories.DepartmentFactory(name="Matrix Physics", slug="matrix-physics")
    world.matrix_trainer = factories.TechnicianFactory(department=other)
    factories.TechnicianSkillFactory(technician=world.matrix_trainer, skill=skill, level=4)
    factories.TechnicianSkillFactory(technician=world.manager_profile, skill=skill, level=4)
    world.matrix_rating = factories.TechnicianSkillFactory(
        technician=world.technician_profile, skill=skill, level=3
    )
    UnitSkillNeed.objects.create(
        skill=skill, department=world.technician_profile.department, min_holders=3
    )
    # Asked by the technician of their manager: only the manager may accept it.
    world.matrix_shadowing = ShadowingRequest.objects.create(
        learner=world.technician_profile, teacher=world.manager_profile, skill=skill
    )


def _skill(suffix=""):
    return lambda w: f"/technicians/skills/{w.matrix_skill.pk}/{suffix}"


ROWS = [
    Row("technicians:skills_risks", lambda w: "/technicians/skills/risks/", staff(200)),
    Row("technicians:skill_needs", lambda w: "/technicians/skills/needs/", NEEDS_EDITORS),
    Row(
        "technicians:skill_needs",
        lambda w: f"/technicians/skills/needs/?department={w.technician_profile.department_id}",
        NEEDS_EDITORS,
        note=" a department",
    ),
    Row(
        "technicians:skill_needs",
        lambda w: "/technicians/skills/needs/?faculty=Nowhere",
        NEEDS_EDITORS,
        note=" an unknown faculty: the list of units",
    ),
    Row(
        "technicians:skill_needs",
        lambda w: f"/technicians/skills/needs/?department={w.technician_profile.department_id}",
        staff(403, steering=302, hr=302, admin=302),
        method="post",
        data=lambda w: {f"skill_{w.matrix_skill.pk}": "2"},
        note=" save",
    ),
    Row("technicians:skills", lambda w: "/technicians/skills/", staff(200)),
    Row(
        "technicians:skills",
        lambda w: f"/technicians/skills/?department={w.technician_profile.department_id}",
        staff(200),
        note=" people",
    ),
    Row(
        "technicians:skills",
        lambda w: "/technicians/skills/?faculty=Nowhere&department=x&at_risk=maybe",
        staff(200),
        note=" bad filters",
    ),
    Row("technicians:skills_export", lambda w: "/technicians/skills/export.csv", staff(200)),
    Row("technicians:skill", _skill(), staff(200)),
    Row("technicians:skill", lambda w: "/technicians/skills/999999/", staff(404), note=" missing"),
    Row("technicians:skills_review", lambda w: "/technicians/skills/review/", staff(200)),
    Row(
        "technicians:skills_review",
        lambda w: "/technicians/skills/review/",
        TECHNICIANS_ONLY,
        method="post",
        note=" confirm",
    ),
    Row(
        "technicians:skill_validate",
        lambda w: f"/technicians/skills/review/{w.matrix_rating.pk}/validate/",
        staff(404, manager=302),
        method="post",
        data=lambda w: {"level": "2"},
    ),
    Row(
        "technicians:skills_demand",
        lambda w: "/technicians/skills/demand/",
        staff(403, steering=200, hr=200, admin=200),
    ),
    Row("technicians:shadowing", lambda w: "/technicians/skills/shadowing/", TECHNICIAN_PAGES),
    Row(
        "technicians:shadowing_transition",
        lambda w: f"/technicians/skills/shadowing/{w.matrix_shadowing.pk}/accept/",
        staff(404, technician=403, manager=302),
        method="post",
    ),
    Row(
        "technicians:shadowing_transition",
        lambda w: f"/technicians/skills/shadowing/{w.matrix_shadowing.pk}/nonsense/",
        staff(404),
        method="post",
        note=" unknown action",
    ),
    Row(
        "technicians:skill_want",
        _skill("learn/"),
        TECHNICIANS_ONLY,
        method="post",
        data=lambda w: {"wants": "1"},
    ),
    Row(
        "technicians:shadowing_request",
        _skill("shadowing/"),
        TECHNICIANS_ONLY,
        method="post",
        data=lambda w: {"teacher": w.matrix_trainer.pk, "note": "Please"},
    ),
    Row(
        "technicians:shadowing_request",
        _skill("shadowing/"),
        staff(403, technician=404, manager=404),
        method="post",
        data=lambda w: {"teacher": 999999},
        note=" unknown colleague",
    ),
]

# Every persona appears in every row (tests/test_permission_matrix.py checks it).
assert all(set(row.expect) == set(everyone(0)) for row in ROWS)
