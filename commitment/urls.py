from django.urls import path

from commitment import views

app_name = "commitment"

urlpatterns = [
    path("", views.public, name="public"),
    path("annual-report/<int:pk>.pdf", views.public_report, name="public_report"),
    path("self-assessment/", views.self_assessments, name="self_assessments"),
    path("self-assessment/commitment/", views.edit_commitment, name="edit"),
    path("self-assessment/<int:pk>/", views.submission, name="submission"),
    path("self-assessment/<int:pk>/start/", views.start, name="start"),
    path("self-assessment/<int:pk>/extend/", views.extend, name="extend"),
    path("self-assessment/<int:pk>/submit/", views.submit, name="submit"),
    path("self-assessment/<int:pk>/reviewed/", views.reviewed, name="reviewed"),
    path("self-assessment/<int:pk>/pillars/<slug:pillar>/", views.save_pillar, name="save_pillar"),
    path("self-assessment/<int:pk>/strengths/<slug:pillar>/", views.strengths, name="strengths"),
    path("self-assessment/<int:pk>/advice/", views.add_advice, name="add_advice"),
    path(
        "self-assessment/<int:pk>/advice/<int:advice_pk>/action/",
        views.advice_action,
        name="advice_action",
    ),
    path("self-assessment/<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("self-assessment/<int:pk>/export.docx", views.export_docx, name="export_docx"),
    path("reports/", views.reports, name="reports"),
    path("reports/highlights/", views.add_highlight, name="add_highlight"),
    path("reports/highlights/<int:pk>/delete/", views.delete_highlight, name="delete_highlight"),
    path("reports/<int:pk>/approve/", views.approve, name="approve"),
    path("reports/kpis.csv", views.kpis_csv, name="kpis_csv"),
    path("reports/kpis.json", views.kpis_json, name="kpis_json"),
]
