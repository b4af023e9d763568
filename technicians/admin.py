from django.contrib import admin

from technicians.models import (
    Department,
    ShadowingRequest,
    Skill,
    Technician,
    TechnicianSkill,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "faculty", "helpdesk_email"]
    list_filter = ["faculty"]
    search_fields = ["name", "faculty", "helpdesk_email"]
    prepopulated_fields = {"slug": ["name"]}


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


@admin.register(Technician)
class TechnicianAdmin(admin.ModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "email",
        "job_title",
        "department",
        "role_family",
        "visibility",
        "is_active",
    ]
    list_display_links = ["last_name", "first_name"]
    list_filter = [
        "is_active",
        "visibility",
        "role_family",
        "is_apprentice",
        "department__faculty",
        "department",
    ]
    list_select_related = ["department"]
    search_fields = [
        "first_name",
        "last_name",
        "email",
        "staff_number",
        "job_title",
        "expertise",
        "equipment",
    ]
    autocomplete_fields = ["department", "line_manager", "user"]
    # Photos are only changed through the profile page, which checks and re-encodes them.
    readonly_fields = ["photo", "photo_thumbnail", "created", "updated"]
    inlines = [TechnicianSkillInline]
    fieldsets = [
        (
            "From the staff list (HR)",
            {
                "fields": [
                    "staff_number",
                    ("first_name", "last_name"),
                    "email",
                    "job_title",
                    "role_family",
                    "grade",
                    "department",
                    "line_manager",
                    "started_on",
                    ("is_apprentice", "is_active"),
                ]
            },
        ),
        (
            "Profile (the technician's own)",
            {"fields": ["bio", "expertise", "equipment", "orcid", "visibility", "photo"]},
        ),
        ("Account", {"fields": ["user", "photo_thumbnail", "created", "updated"]}),
    ]


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
