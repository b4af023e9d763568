import factory
from django.contrib.auth import get_user_model

from technicians.models import Department, Skill, Technician, TechnicianSkill


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    email = factory.Sequence(lambda n: f"user{n}@example.ac.uk")
    username = factory.SelfAttribute("email")
    password = factory.django.Password("correct-horse-battery-staple")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")
    faculty = "Faculty of Science"
    helpdesk_email = factory.LazyAttribute(lambda d: f"{d.slug}-help@example.ac.uk")


class TechnicianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technician

    staff_number = factory.Sequence(lambda n: f"T{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"technician{n}@example.ac.uk")
    job_title = "Senior Laboratory Technician"
    role_family = Technician.RoleFamily.LABORATORY
    grade = "6"
    department = factory.SubFactory(DepartmentFactory)
    visibility = Technician.Visibility.INTERNAL


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    category = "Analytical"


class TechnicianSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicianSkill

    technician = factory.SubFactory(TechnicianFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3
