from django.urls import URLPattern, URLResolver, path

from heard.correspondence import views

app_name = "correspondence"
urlpatterns: list[URLPattern | URLResolver] = [
    # Before the case pattern, which would otherwise take "awaiting-check" for a reference.
    path("awaiting-check", views.awaiting_check, name="awaiting"),
    path("<str:reference>", views.case_letters, name="case"),
    path("<str:reference>/<int:letter_id>", views.letter_detail, name="letter"),
    path("<str:reference>/<int:letter_id>/print", views.print_letter, name="print"),
]
