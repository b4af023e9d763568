"""The skills matrix's pages. They keep their addresses (/technicians/skills/…) and names
(`technicians:skills`, `technicians:skill`, …) from when the matrix lived in the directory:
config/urls.py mounts these patterns in the "technicians" namespace, before the directory's
own (`/technicians/<id>/` would not catch them anyway). Paths are relative to /technicians/.
"""

from django.urls import path

from skills import views

urlpatterns = [
    path("skills/", views.matrix, name="skills"),
    path("skills/export.csv", views.matrix_csv, name="skills_export"),
    path("skills/review/", views.review, name="skills_review"),
    path("skills/review/<int:pk>/validate/", views.validate, name="skill_validate"),
    path("skills/demand/", views.demand, name="skills_demand"),
    path("skills/shadowing/", views.shadowing, name="shadowing"),
    path(
        "skills/shadowing/<int:pk>/<slug:action>/",
        views.shadowing_transition,
        name="shadowing_transition",
    ),
    path("skills/risks/", views.risks, name="skills_risks"),
    path("skills/needs/", views.needs, name="skill_needs"),
    path("skills/<int:skill_id>/", views.skill_detail, name="skill"),
    path("skills/<int:skill_id>/learn/", views.want_to_learn, name="skill_want"),
    path(
        "skills/<int:skill_id>/shadowing/",
        views.request_shadowing,
        name="shadowing_request",
    ),
]
