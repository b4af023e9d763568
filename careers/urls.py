from django.urls import path

from careers import views

app_name = "careers"

urlpatterns = [
    path("", views.index, name="index"),
    path("pathways/new/", views.pathway_edit, name="pathway_new"),
    path("pathways/import/", views.pathway_import, name="import"),
    path("pathways/export.csv", views.pathway_export, name="export"),
    path("pathways/<int:pk>/", views.pathway, name="pathway"),
    path("pathways/<int:pk>/edit/", views.pathway_edit, name="pathway_edit"),
    path("pathways/<int:pathway_pk>/bands/new/", views.band_edit, name="band_new"),
    path("bands/<int:pk>/edit/", views.band_edit, name="band_edit"),
    path("bands/<int:pk>/delete/", views.band_delete, name="band_delete"),
    path("bands/<int:pk>/skills/", views.band_skill_add, name="band_skill_add"),
    path("band-skills/<int:pk>/delete/", views.band_skill_delete, name="band_skill_delete"),
    path("me/", views.me, name="me"),
    path("team/", views.team, name="team"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("succession/", views.succession_page, name="succession"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/band/", views.band_override, name="band_override"),
    path("people/<int:pk>/evidence-pack.pdf", views.evidence_pack_pdf, name="evidence_pack"),
    path("mentoring/", views.mentoring, name="mentoring"),
    path("mentoring/schemes/new/", views.scheme_new, name="scheme_new"),
    path("mentoring/schemes/<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path("mentoring/rounds/<int:pk>/", views.round_detail, name="round"),
    path("mentoring/rounds/<int:pk>/apply/", views.round_apply, name="round_apply"),
    path("mentoring/rounds/<int:pk>/match/", views.round_match, name="round_match"),
    path("mentoring/rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("mentoring/rounds/<int:pk>/pair/", views.round_pair, name="round_pair"),
    path("mentoring/pairs/<int:pk>/", views.pair, name="pair"),
    path("mentoring/pairs/<int:pk>/evaluation/<slug:stage>/", views.evaluation, name="evaluation"),
    path("mentoring/pairs/<int:pk>/<slug:action>/", views.pair_action, name="pair_action"),
]
