from django.contrib import admin, messages

from portal import outbox
from portal.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, for administrators: what was sent, what is waiting, what failed and why."""

    list_display = ("created", "recipient", "kind", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("recipient__email", "subject", "key")
    date_hierarchy = "created"
    list_select_related = ("recipient",)
    ordering = ("-created",)
    readonly_fields = (
        "recipient",
        "kind",
        "key",
        "subject",
        "body",
        "status",
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
