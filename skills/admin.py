"""The skills matrix in the admin: the skills themselves, each technician's levels (inline on
the technician's page, which the directory's admin owns) and shadowing requests to look into."""

from django.contrib import admin

from skills.models import ShadowingRequest, Skill, TechnicianSkill, UnitSkillNeed
from technicians.models import Technician


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category"]
    list_filter = ["category"]
    search_fields = ["name", "category"]


class TechnicianSkillInline(admin.TabularInline):
    model = TechnicianSkill
    extra = 1
    autocomplete_fields = ["skill"]
    # Validation is the line manager's, on the skill reviews page.
    readonly_fields = ["validated_level", "validated_by", "validated_on"]


@admin.register(ShadowingRequest)
class ShadowingRequestAdmin(admin.ModelAdmin):
    """Shadowing requests, to look into; their transitions are the learner's and teacher's."""

    list_display = ["learner", "teacher", "skill", "status", "created", "decided_at"]
    list_filter = ["status", "skill__category"]
    list_select_related = ["learner", "teacher", "skill"]
    search_fields = ["learner__last_name", "teacher__last_name", "skill__name"]
    readonly_fields = [
        "learner",
        "teacher",
        "skill",
        "status",
        "note",
        "decision_note",
        "created",
        "decided_at",
        "completed_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(UnitSkillNeed)
class UnitSkillNeedAdmin(admin.ModelAdmin):
    """The units' skill needs, to look into: HR and the steering group change them on the
    needs page (/technicians/skills/needs/), through skills.services."""

    list_display = ["skill", "department", "faculty", "min_holders", "updated", "updated_by"]
    list_filter = ["faculty", "department__faculty"]
    list_select_related = ["skill", "department", "updated_by"]
    search_fields = ["skill__name", "department__name", "faculty"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _add_skills_to_the_technician_admin() -> None:
    """The directory's Technician admin (registered first: technicians comes before skills in
    INSTALLED_APPS), with each technician's skills inline; the directory names no skill."""
    base = type(admin.site.get_model_admin(Technician))
    with_skills = type(base.__name__, (base,), {"inlines": [*base.inlines, TechnicianSkillInline]})
    admin.site.unregister(Technician)
    admin.site.register(Technician, with_skills)


_add_skills_to_the_technician_admin()
