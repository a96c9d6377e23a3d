from django.urls import path

from heard.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.index, name="index"),
    path("standard/", views.standard, name="standard"),
    path("standard/<str:number>/", views.element_priority, name="element-priority"),
    path("assessments/new", views.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", views.assessment_page, name="assessment"),
    path("assessments/<int:pk>/export", views.assessment_export, name="assessment-export"),
    path("assessments/<int:pk>/export.csv", views.assessment_csv, name="assessment-csv"),
    path("assessments/<int:pk>/portfolio", views.portfolio_page, name="portfolio"),
    path(
        "assessments/<int:pk>/portfolio/<int:export_id>/<str:part>",
        views.portfolio_download,
        name="portfolio-download",
    ),
    path(
        "assessments/<int:pk>/elements/<str:number>/",
        views.assessment_element,
        name="assessment-element",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/file",
        views.evidence_file,
        name="evidence-file",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/remove",
        views.evidence_remove,
        name="evidence-remove",
    ),
    path("assessments/<int:pk>/assessors", views.assessors_page, name="assessors"),
    path(
        "assessments/<int:pk>/assessors/<int:access_id>/end",
        views.assessor_revoke,
        name="assessor-revoke",
    ),
    path("plans/new", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views.plan_page, name="plan"),
    path("plans/<int:pk>/actions/new", views.action_edit, name="action-new"),
    path("plans/<int:pk>/actions/<int:number>/", views.action_edit, name="action-edit"),
    path("plans/<int:pk>/import", views.plan_import, name="plan-import"),
    path("plans/<int:pk>/reviews/new", views.review_new, name="review-new"),
    path(
        "plans/<int:pk>/reviews/<int:review_id>/actions/<int:number>",
        views.progress_edit,
        name="progress-edit",
    ),
    path("plans/<int:pk>/report", views.plan_report, name="plan-report"),
    path("plans/<int:pk>/report.csv", views.plan_report_csv, name="plan-report-csv"),
    path("plans/<int:pk>/report.pdf", views.plan_report_pdf, name="plan-report-pdf"),
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/new", views.idea_new, name="idea-new"),
    path("ideas/<int:pk>/", views.idea_page, name="idea"),
    path("ideas/<int:pk>/action", views.idea_action, name="idea-action"),
]
