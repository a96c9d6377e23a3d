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
    path("publish/", views.publish, name="publish"),
]
