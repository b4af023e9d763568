from django.contrib import admin

from training.models import Booking, CalendarToken, Course, CourseInterest, Session, TrainingRecord


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("starts_at", "ends_at", "location", "capacity", "status")
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "provider", "days", "requires_manager_approval")
    list_filter = ("category", "requires_manager_approval", "provider")
    search_fields = ("title", "provider", "description")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("course", "starts_at", "location", "capacity", "status", "sequence")
    list_filter = ("status", "course__category")
    search_fields = ("course__title", "location")
    date_hierarchy = "starts_at"
    list_select_related = ("course",)
    readonly_fields = ("sequence",)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("technician", "session", "status", "cancelled_late", "created")
    list_filter = ("status", "cancelled_late")
    search_fields = ("technician__last_name", "technician__email", "session__course__title")
    list_select_related = ("technician", "session__course")
    raw_id_fields = ("technician", "session", "booked_by", "decided_by")


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
    list_display = ("technician", "created")
    raw_id_fields = ("technician",)
    exclude = ("token",)  # a secret: administrators revoke it, never read it
