from django.contrib import admin, messages

from portal import outbox
from portal.imports.pending import discard_pending
from portal.models import ImportRun, Notification, PendingImport


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, for administrators: what was sent, what is waiting, what failed and why."""

    list_display = (
        "created",
        "addressee",
        "kind",
        "subject",
        "status",
        "reason",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "kind", "reason", "digest")
    search_fields = ("recipient__email", "technician__email", "subject", "key")
    date_hierarchy = "created"
    list_select_related = ("recipient", "technician")
    ordering = ("-created",)
    readonly_fields = (
        "recipient",
        "technician",
        "kind",
        "reminder_kind",
        "digest",
        "key",
        "subject",
        "body",
        "status",
        "reason",
        "attempts",
        "last_error",
        "created",
        "sent_at",
        "next_attempt_at",
    )
    actions = ("send_now",)

    def has_add_permission(self, request):
        # Notifications are written by the portal's services, never by hand.
        return False

    @admin.action(description="Send the selected notifications now (failed ones: try again)")
    def send_now(self, request, queryset):
        ids = list(queryset.exclude(status=Notification.Status.SENT).values_list("pk", flat=True))
        skipped = queryset.filter(status=Notification.Status.SENT).count()
        sent = outbox.send_now(ids)
        not_sent = len(ids) - sent
        if sent:
            self.message_user(request, f"{sent} notification(s) sent.", messages.SUCCESS)
        if not_sent:
            self.message_user(
                request,
                f"{not_sent} notification(s) could not be sent now; see their last error.",
                messages.WARNING,
            )
        if skipped:
            self.message_user(
                request, f"{skipped} notification(s) had been sent already.", messages.INFO
            )


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Applied imports (who, when, which file, how many of each change): a record, read only."""

    list_display = ("created", "kind", "by", "file_name", "counts")
    list_filter = ("kind",)
    search_fields = ("file_name", "by__email")
    date_hierarchy = "created"
    list_select_related = ("by",)
    readonly_fields = ("kind", "by", "created", "file_name", "counts")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PendingImport)
class PendingImportAdmin(admin.ModelAdmin):
    """Previews waiting to be applied (each for an hour). They are made by the import pages and
    deleted by them or by the periodic cleanup; an administrator may only delete one."""

    list_display = ("created", "kind", "target", "uploaded_by", "file_name", "expires_at")
    list_filter = ("kind",)
    search_fields = ("file_name", "uploaded_by__email")
    list_select_related = ("uploaded_by",)
    # The file is private: no link to it, only its original name.
    fields = ("kind", "target", "uploaded_by", "file_name", "fingerprint", "created", "expires_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        discard_pending(obj)  # the row and, once committed, its file

    def delete_queryset(self, request, queryset):
        for pending in queryset:
            discard_pending(pending)
