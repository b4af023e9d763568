from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("courses/<slug:slug>/interest/", views.course_interest, name="interest"),
    path("sessions/<int:pk>/book/", views.book, name="book"),
    path("sessions/<int:pk>/calendar.ics", views.session_ics, name="session_ics"),
    path("sessions/<int:pk>/register/", views.session_register, name="register"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:pk>/approve/", views.approve, name="approve"),
    path("bookings/<int:pk>/decline/", views.decline, name="decline"),
    path("bookings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("approvals/", views.approvals, name="approvals"),
    path("me/", views.me, name="me"),
    path("me/export.csv", views.me_export, name="me_export"),
    path("me/log/", views.log_days, name="log"),
    path("me/calendar/renew/", views.renew_calendar, name="renew_calendar"),
    path("records/import/", views.records_import, name="import"),
    path("records/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("records/<int:pk>/evidence/", views.record_evidence, name="record_evidence"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("team/", views.team, name="team"),
    path("team/export.csv", views.team_export, name="team_export"),
    path("totals/", views.totals, name="totals"),
    path("totals/export.csv", views.totals_export, name="totals_export"),
    path("manage/", views.manage, name="manage"),
    path("manage/courses/new/", views.course_create, name="course_create"),
    path("manage/courses/<slug:slug>/edit/", views.course_edit, name="course_edit"),
    path("manage/courses/<slug:slug>/sessions/new/", views.session_create, name="session_create"),
    path("manage/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("manage/sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
]
