import datetime

import factory
from django.contrib.auth import get_user_model

from skills.models import Skill, TechnicianSkill
from technicians.models import Department, Technician


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


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 80, 40), mode: str = "RGB") -> bytes:
    """A small real image, made with Pillow, in `fmt` (JPEG, PNG, WEBP, GIF)."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def attach_photo(technician, fmt: str = "JPEG"):
    """Give a technician a processed photo and thumbnail, as the profile page would."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from technicians import photos

    processed = photos.process_photo(SimpleUploadedFile(f"me.{fmt.lower()}", image_bytes(fmt)))
    technician.photo.save("photo" + processed.extension, processed.full_file(), save=False)
    technician.photo_thumbnail.save(
        "thumbnail" + processed.extension, processed.thumbnail_file(), save=False
    )
    technician.save(update_fields=["photo", "photo_thumbnail"])
    return technician


# --- action plans ----------------------------------------------------------------------------


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """A published three-year plan, 1 Aug 2025 – 31 Jul 2028, unless told otherwise."""

    class Meta:
        model = "actionplan.ActionPlan"

    title = factory.Sequence(lambda n: f"Technician Commitment Action Plan {n}")
    starts_on = factory.LazyFunction(lambda: datetime.date(2025, 8, 1))
    ends_on = factory.LazyFunction(lambda: datetime.date(2028, 7, 31))
    status = "published"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.Action"

    plan = factory.SubFactory(ActionPlanFactory)
    pillar = "visibility"
    ref = factory.Sequence(lambda n: f"V{n // 10 + 1}.{n % 10 + 1}-{n}")
    title = factory.Sequence(lambda n: f"Action number {n}")
    lead = "Technical Services"
    due_on = factory.LazyAttribute(lambda a: a.plan.ends_on)
    success_measure = "Done and seen to be done."
    status = "in_progress"
    progress = 50


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.ActionUpdate"

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    note = "Progress as planned."
    progress = factory.LazyAttribute(lambda u: u.action.progress)
    status = factory.LazyAttribute(lambda u: u.action.status)
