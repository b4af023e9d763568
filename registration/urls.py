from django.urls import path

from registration import views

app_name = "registration"

urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("review/", views.review, name="review"),
    path("budget/", views.budget, name="budget"),
    path("fees/", views.fees, name="fees"),
    path("summary/", views.summary, name="summary"),
    path("import/", views.registration_import, name="import"),
    path("summary/<slug:table>.csv", views.summary_csv, name="summary_csv"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/<slug:action>/",
        views.application_transition,
        name="application_transition",
    ),
    path("applications/<int:pk>/proof/file/", views.proof, name="proof"),
    path("registrations/new/", views.registration_create, name="registration_create"),
    path("registrations/<int:pk>/", views.registration_edit, name="registration_edit"),
    path("cpd/new/", views.cpd_create, name="cpd_create"),
    path("cpd/<int:pk>/delete/", views.cpd_delete, name="cpd_delete"),
    path("cpd/<int:pk>/evidence/", views.cpd_evidence, name="cpd_evidence"),
    path("cpd/record.<fmt>", views.cpd_record_download, name="cpd_record"),
]
