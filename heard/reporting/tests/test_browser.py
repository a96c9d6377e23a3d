"""The report pages and the public performance page in a real browser, with axe-core."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

from heard.browser_testing import assert_accessible
from heard.org.models import Role
from heard.reporting import services
from heard.reporting.models import ReportFile, Standard
from heard.reporting.periods import parse
from heard.reporting.register import load_standards
from heard.reporting.tests.dataset import build
from heard.testing import ensure_shipped_data, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def context(browser, live_server):
    ensure_shipped_data()
    load_standards(Standard)
    context = browser.new_context(base_url=live_server.url)
    yield context
    context.close()


def signed_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_public_performance_page_is_accessible_and_suppresses_small_numbers(
    context, live_server
):
    build()
    officer = make_staff(Role.PERFORMANCE_OFFICER, username="perf-browser")
    services.publish(by=officer, period=parse("2026-Q1"), improvements="You said; we did.")
    page = context.new_page()
    page.goto("/performance/")
    assert_accessible(page)
    page.get_by_role("link", name="January to March 2026").click()
    page.wait_for_url("**/performance/2026-Q1/")
    assert page.get_by_role("heading", name="How we did: January to March 2026").is_visible()
    assert "fewer than 5" in page.content()
    assert_accessible(page)


def test_the_staff_report_pages_are_accessible(context, live_server):
    build()
    officer = make_staff(Role.PERFORMANCE_OFFICER, username="perf-browser")
    signed_in(context, live_server, officer)
    page = context.new_page()
    for path in (
        "/staff/reports/?period=2026-Q1",
        "/staff/reports/standards/letters-acknowledged-5wd/?period=2026-Q1",
        "/staff/reports/annual/?period=FY2025",
        "/staff/reports/quarterly/?period=2026-Q1",
        "/staff/reports/self-assessment/?period=2026-Q1",
        "/staff/reports/panel/?period=2026-02",
        "/staff/reports/imports/",
        "/staff/reports/publish/?period=2026-Q1",
    ):
        page.goto(path)
        assert page.url.endswith(path), page.url
        assert_accessible(page)


def test_the_pdf_and_equality_pages_are_accessible(context, live_server):
    build()
    officer = make_staff(Role.PERFORMANCE_OFFICER, username="perf-browser")
    signed_in(context, live_server, officer)
    page = context.new_page()
    page.goto("/staff/reports/annual/?period=FY2025")
    page.get_by_role("button", name="Make a PDF of this report").click()
    page.wait_for_url("**/staff/reports/files/*/")
    assert_accessible(page)
    ready = ReportFile.objects.create(
        kind="annual",
        period_key="FY2025",
        period_label="April 2025 to March 2026",
        status=ReportFile.Status.READY,
        content=b"%PDF-1.4",
        size=8,
    )
    page.goto(f"/staff/reports/files/{ready.pk}/")
    assert page.get_by_role("link", name="Download annual-FY2025.pdf").is_visible()
    assert_accessible(page)

    equality = context.browser.new_context(base_url=live_server.url) if context.browser else None
    assert equality is not None
    signed_in(equality, live_server, make_staff(Role.EQUALITY_OFFICER, username="eq-browser"))
    page = equality.new_page()
    page.goto("/staff/reports/equality/?period=2026-Q1")
    assert page.get_by_role("heading", name="Equality monitoring report").is_visible()
    assert_accessible(page)
    equality.close()
