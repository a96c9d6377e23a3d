from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from heard.cases.api import CaseViewSet
from heard.core import views
from heard.org.api import OrganisationView
from heard.procedures.api import ProcedureViewSet


class Router(SimpleRouter):
    """The contract's paths have no trailing slash."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = ""


router = Router()
router.register("cases", CaseViewSet, basename="case")
router.register("procedures", ProcedureViewSet, basename="procedure")

api_v1: list[URLPattern | URLResolver] = [
    path("organisation", OrganisationView.as_view(), name="organisation"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("redoc", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include(router.urls)),
]

handler403 = "heard.core.views.permission_denied"
handler404 = "heard.core.views.page_not_found"

urlpatterns = [
    path("", include("heard.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("about", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("readyz", views.readyz, name="readyz"),
    path("api/v1/", include(api_v1)),
    path("performance/", include("heard.reporting.public_urls")),
    path("channels/", include("heard.channels.urls")),
    path("open311/v2/", include("heard.channels.open311_urls")),
    path("staff/improvement/", include("heard.improvement.urls")),
    path("staff/privacy/", include("heard.privacy.urls")),
    path("staff/learning/", include("heard.learning.urls")),
    path("you-said-we-did/", include("heard.learning.public_urls")),
    path("staff/account/", include("heard.accounts.urls")),
    path("staff/correspondence/", include("heard.correspondence.urls")),
    path("staff/reports/", include("heard.reporting.urls")),
    path("staff/", include("heard.staff.urls")),
    path("admin/", admin.site.urls),
]
