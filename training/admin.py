"""Administration of training. Bookings and the fields of a session that seats, waiting lists
and calendars depend on change only through training.services (the coordinator's pages, or
the actions here), so the admin cannot get around the booking rules."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from training import services
from training.models import Booking, CalendarToken, Course, CourseInterest, Session, TrainingRecord


def _reason(error: Exception) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _apply_to_each(model_admin, request, queryset, service) -> None:
    """Run `service(obj, by=user)` on each selected row; say which were refused and why."""
    for obj in queryset:
        try:
            service(obj, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            model_admin.message_user(request, f"{obj}: {_reason(error)}", messages.ERROR)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("starts_at", "ends_at", "location", "capacity", "status")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "provider", "days", "requires_manager_approval")
    list_filter = ("category", "requires_manager_approval", "provider")
    search_fields = ("title", "provider", "description")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [SessionInline]


# Changed only by the services: seats, the waiting list and calendar updates follow them.
GUARDED_SESSION_FIELDS = (
    "course",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "capacity",
    "status",
    "sequence",
)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("course", "starts_at", "location", "capacity", "status", "sequence")
    list_filter = ("status", "course__category")
    search_fields = ("course__title", "location")
    date_hierarchy = "starts_at"
    list_select_related = ("course",)
    actions = ["cancel_sessions"]

    def has_add_permission(self, request):
        return False  # sessions are added on the course page, so the interested are told

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return GUARDED_SESSION_FIELDS

    @admin.action(description="Cancel the selected sessions (everyone booked is told)")
    def cancel_sessions(self, request, queryset):
        _apply_to_each(self, request, queryset, services.cancel_session)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("technician", "session", "status", "cancelled_late", "created")
    list_filter = ("status", "cancelled_late")
    search_fields = ("technician__last_name", "technician__email", "session__course__title")
    list_select_related = ("technician", "session__course")
    actions = ["cancel_bookings"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Booking._meta.fields]

    @admin.action(
        description="Cancel the selected bookings (a freed seat goes to the waiting list)"
    )
    def cancel_bookings(self, request, queryset):
        _apply_to_each(self, request, queryset, services.cancel_booking)


@admin.register(CourseInterest)
class CourseInterestAdmin(admin.ModelAdmin):
    list_display = ("technician", "course", "created")
    raw_id_fields = ("technician", "course")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ("technician", "date", "days", "category", "title")
    list_filter = ("category",)
    search_fields = ("technician__last_name", "title", "provider")
    date_hierarchy = "date"
    raw_id_fields = ("technician", "booking")


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Deleting a token revokes the feed; the secret itself is never shown."""

    list_display = ("technician", "created")
    exclude = ("token",)
    readonly_fields = ("technician",)

    def has_add_permission(self, request):
        return False
