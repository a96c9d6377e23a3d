from django.urls import path

from heard.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("triage", views.triage, name="triage"),
    path("search", views.search, name="search"),
]
