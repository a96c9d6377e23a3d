"""The public performance pages (no sign-in): only what a performance officer published."""

from django.urls import URLPattern, URLResolver, path

from heard.reporting import views

app_name = "performance"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.public_index, name="index"),
    path("<str:key>/", views.public_period, name="period"),
    path("<str:key>.csv", views.public_csv, name="csv"),
]
