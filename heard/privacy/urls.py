from django.urls import URLPattern, URLResolver, path

from heard.privacy import views

app_name = "privacy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("reads/", views.reads, name="reads"),
    path("subject-access/", views.subject_access_requests, name="subject-access"),
    path(
        "subject-access/<int:pk>/download",
        views.subject_access_download,
        name="subject-access-download",
    ),
    path("erase/", views.erase, name="erase"),
    path("erasures/<int:pk>/", views.erasure_record, name="erasure"),
    path("retention/", views.retention_runs, name="retention"),
    path("retention/<int:pk>/", views.retention_run, name="retention-run"),
]
