from django.urls import path

from heard.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("queues/<slug:slug>", views.queue, name="queue"),
    path("triage", views.triage_view, name="triage"),
    path("search", views.search_view, name="search"),
    path("cases/<str:reference>", views.case_page, name="case"),
    path("cases/<str:reference>/timeline", views.case_timeline, name="case-timeline"),
    path("cases/<str:reference>/notes", views.case_note, name="case-note"),
    path("cases/<str:reference>/files", views.case_attachment, name="case-attachment"),
    path("cases/<str:reference>/files/<int:attachment_id>", views.case_file, name="case-file"),
    path("cases/<str:reference>/links", views.case_link, name="case-link"),
    path("cases/<str:reference>/<slug:step>", views.case_step, name="case-step"),
    path("customers/<int:customer_id>", views.customer_page, name="customer"),
    path("customers/<int:customer_id>/restrict", views.customer_restrict, name="customer-restrict"),
    path(
        "customers/<int:customer_id>/restrictions/<int:restriction_id>/review",
        views.restriction_review,
        name="restriction-review",
    ),
    path(
        "customers/<int:customer_id>/merge/<int:other_id>",
        views.customer_merge,
        name="customer-merge",
    ),
]
