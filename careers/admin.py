"""The admin shows careers data; every change goes through careers.services (pages)."""

from django.contrib import admin

from careers.models import (
    Band,
    BandOverride,
    MentoringApplication,
    MentoringPair,
    MentoringRound,
    MentoringScheme,
    Pathway,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pathway)
class PathwayAdmin(ReadOnlyAdmin):
    list_display = ["name", "order"]


@admin.register(Band)
class BandAdmin(ReadOnlyAdmin):
    list_display = ["pathway", "order", "name"]
    list_filter = ["pathway"]


@admin.register(BandOverride)
class BandOverrideAdmin(ReadOnlyAdmin):
    list_display = ["technician", "band", "set_by", "updated"]


@admin.register(MentoringScheme)
class MentoringSchemeAdmin(ReadOnlyAdmin):
    list_display = ["name"]


@admin.register(MentoringRound)
class MentoringRoundAdmin(ReadOnlyAdmin):
    list_display = [
        "scheme",
        "name",
        "applications_open_on",
        "applications_close_on",
        "status",
        "published_at",
    ]


@admin.register(MentoringApplication)
class MentoringApplicationAdmin(ReadOnlyAdmin):
    list_display = ["technician", "round", "as_mentor", "as_mentee", "capacity"]
    exclude = ["preferences_note"]


@admin.register(MentoringPair)
class MentoringPairAdmin(ReadOnlyAdmin):
    list_display = ["round", "mentor", "mentee", "status", "pinned", "score"]
