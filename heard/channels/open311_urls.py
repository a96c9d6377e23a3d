"""Open311 GeoReport v2 at /open311/v2/: each endpoint in .json and .xml."""

from django.urls import re_path

from heard.channels import open311_views as views

app_name = "open311"
FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.services, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)" + FORMAT, views.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, views.requests, name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[\w-]+)" + FORMAT, views.request_detail, name="request"
    ),
    re_path(r"^tokens/(?P<token>[\w-]+)" + FORMAT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FORMAT, views.updates, name="updates"),
]
