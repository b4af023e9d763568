from django.urls import path

from actionplan import views

app_name = "actionplan"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/history/", views.plan_history, name="history"),
    path("<int:pk>/export.csv", views.plan_export, name="export"),
    path("<int:pk>/print/", views.plan_print, name="print"),
    path("<int:pk>/import/", views.plan_import, name="import"),
    path("<int:pk>/next/", views.plan_next, name="next"),
    path("<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("<int:plan_pk>/actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("<int:plan_pk>/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("<int:plan_pk>/actions/<int:pk>/update/", views.action_update, name="action_update"),
    path(
        "<int:plan_pk>/actions/<int:action_pk>/updates/<int:pk>/evidence/",
        views.evidence,
        name="evidence",
    ),
]
