from django.contrib import admin

from technicians.models import Department, Technician


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "faculty", "helpdesk_email"]
    list_filter = ["faculty"]
    search_fields = ["name", "faculty", "helpdesk_email"]
    prepopulated_fields = {"slug": ["name"]}


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
    # A leaver is marked by HR's staff list (technicians.staff_list: confirmed leavers, the
    # skills they take with them told to their managers), never by a tick box here.
    readonly_fields = ["photo", "photo_thumbnail", "is_active", "created", "updated"]
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
