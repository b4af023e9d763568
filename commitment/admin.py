from django.contrib import admin

from commitment.models import Advice, AnnualReport, Commitment, Submission


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to administrators; every change goes through the Commitment's pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ("signed_on", "announced_on", "lead", "champion", "contact_email", "chair")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("stage", "due_on", "extended", "status", "submitted_on")
    exclude = ("snapshot",)


@admin.register(Advice)
class AdviceAdmin(ReadOnlyAdmin):
    list_display = ("submission", "pillar", "text", "action")
    list_select_related = ("submission", "action")
