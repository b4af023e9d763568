from django.contrib import admin

from commitment.models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    """Every version of the annual report, read-only: HR requests them on /reports/, and the
    PDF is downloaded there (a permission-checking view), never from the admin."""

    list_display = ("year", "version", "status", "requested_by", "created", "finished", "pages")
    list_filter = ("status", "year")
    list_select_related = ("requested_by",)
    exclude = ("file",)
    readonly_fields = (
        "year",
        "version",
        "status",
        "requested_by",
        "pages",
        "headlines",
        "error",
        "attempts",
        "created",
        "started",
        "finished",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
