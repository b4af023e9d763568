from django.urls import path

from voice import views

app_name = "voice"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/copy/", views.survey_copy, name="copy"),
    path("<int:pk>/invite/", views.survey_invite, name="invite"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/results.csv", views.survey_results_csv, name="results_csv"),
    path("<int:pk>/questions/<int:question_pk>/action/", views.result_action, name="result_action"),
    path("answer/<str:token>/", views.answer, name="answer"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("reports/<uuid:pk>.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<uuid:pk>/share/", views.report_share, name="report_share"),
]
