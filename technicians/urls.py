from django.urls import path

from technicians import views, views_skills, views_staff_list

app_name = "technicians"

urlpatterns = [
    path("", views.directory, name="list"),
    path("me/", views.my_profile, name="me"),
    path("import/", views_staff_list.import_staff, name="import"),
    path("export.csv", views_staff_list.export_csv, name="export"),
    path("import/sample.csv", views_staff_list.sample_csv, name="import_sample"),
    path("departments/<slug:slug>/", views.department, name="department"),
    path("skills/", views_skills.matrix, name="skills"),
    path("skills/export.csv", views_skills.matrix_csv, name="skills_export"),
    path("skills/review/", views_skills.review, name="skills_review"),
    path("skills/review/<int:pk>/validate/", views_skills.validate, name="skill_validate"),
    path("skills/demand/", views_skills.demand, name="skills_demand"),
    path("skills/shadowing/", views_skills.shadowing, name="shadowing"),
    path(
        "skills/shadowing/<int:pk>/<slug:action>/",
        views_skills.shadowing_transition,
        name="shadowing_transition",
    ),
    path("skills/<int:skill_id>/", views_skills.skill_detail, name="skill"),
    path("skills/<int:skill_id>/learn/", views_skills.want_to_learn, name="skill_want"),
    path(
        "skills/<int:skill_id>/shadowing/",
        views_skills.request_shadowing,
        name="shadowing_request",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/photo/<str:size>/", views.photo, name="photo"),
]
