from django.urls import path

from heard.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.start, name="start"),
    path("tell-us/check", views.check, name="check"),
    path("tell-us/done", views.confirmation, name="confirmation"),
    path("track", views.track, name="track"),
    path("track/<str:token>", views.status, name="status"),
    path("tell-us/equality", views.equality, name="equality"),
    path("survey/<str:token>", views.survey, name="survey"),
    path("tell-us/<slug:name>", views.step, name="step"),
]
