from django.contrib import admin

from announcements.models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """Announcements are written on the portal (so they are sent); here, read only."""

    list_display = ("created", "title", "author", "status", "recipients")
    list_filter = ("status",)
    search_fields = ("title", "body")
    readonly_fields = [field.name for field in Announcement._meta.fields] + ["departments"]

    def has_add_permission(self, request):
        return False
