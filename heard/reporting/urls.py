from django.urls import URLPattern, URLResolver, path

from heard.reporting import views

app_name = "reporting"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("standards/<slug:code>/", views.standard, name="standard"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_progress, name="import"),
    path("annual/", views.annual, name="annual"),
    path("panel/", views.panel, name="panel"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("self-assessment/", views.self_assessment, name="self_assessment"),
    path("equality/", views.equality, name="equality"),
    path("pdf/", views.request_pdf, name="request_pdf"),
    path("files/<int:pk>/", views.report_file, name="report_file"),
    path("files/<int:pk>/download/", views.download_report_file, name="download_report_file"),
    path("publish/", views.publish, name="publish"),
]
