from django.urls import path

from recognition import views

app_name = "recognition"

urlpatterns = [
    path("", views.index, name="index"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/receipts/<int:receipt_pk>/", views.receipt, name="receipt"),
    path(
        "applications/<int:pk>/<slug:action>/",
        views.application_step,
        name="application_step",
    ),
    path("fund/", views.fund_admin, name="fund_admin"),
    path("awards/", views.awards, name="awards"),
    path("awards/nominate/", views.nominate, name="nominate"),
    path("awards/manage/", views.awards_manage, name="awards_manage"),
    path("awards/rounds/<int:pk>/", views.round_detail, name="round"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/<slug:action>/", views.nomination_step, name="nomination_step"),
    path("testimony/<str:token>/", views.testimony, name="testimony"),
    path("outputs/", views.outputs, name="outputs"),
    path("outputs/orcid/", views.orcid_import, name="orcid_import"),
    path("outputs/ref.csv", views.ref_export, name="ref_export"),
    path("outputs/<int:pk>/<slug:action>/", views.contribution_step, name="contribution_step"),
]
