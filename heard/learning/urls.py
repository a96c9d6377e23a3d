from django.urls import path

from heard.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("retrain", views.retrain, name="retrain"),
    path("insight/", views.insight_page, name="insight"),
    path("warnings/", views.warnings_list, name="warnings"),
    path("warnings/<int:pk>/", views.warning_page, name="warning"),
    path("lessons/", views.lessons_list, name="lessons"),
    path("lessons/new", views.lesson_edit, name="lesson-new"),
    path("lessons/<int:pk>/", views.lesson_edit, name="lesson-edit"),
    path("cases/<str:reference>/themes", views.classify, name="classify"),
]
