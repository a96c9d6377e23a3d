"""The public "you said, we did" page (no sign-in): only lessons marked public."""

from django.urls import URLPattern, path

from heard.learning import views

app_name = "you-said-we-did"
urlpatterns: list[URLPattern] = [path("", views.public_page, name="index")]
