"""Learning from complaints in a real browser (Playwright driving Chromium), with axe-core on
every page: a suggested theme at triage, accepted; a related case opened and linked; the
insight screen."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from heard.browser_testing import assert_accessible, go
from heard.cases import services
from heard.cases.models import Case
from heard.learning.classification import classification_of, record_classification
from heard.learning.suggestions import train_theme_model
from heard.learning.tests.test_suggestions import HISTORY
from heard.org.models import Role
from heard.testing import ensure_shipped_data, make_service, make_staff

PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def context(browser, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    ensure_shipped_data()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def test_a_suggested_theme_is_accepted_at_triage_and_a_related_case_opened(context):
    waste = make_service("waste", "Waste and recycling")
    officer = make_staff(Role.COMPLAINTS_TEAM, username="learner")
    officer.set_password(PASSWORD)
    officer.first_name, officer.last_name = "Lee", "Learner"
    officer.save()
    for theme, texts in HISTORY.items():
        for text in texts:
            case = services.create_case(
                by=officer,
                kind="complaint",
                channel="web",
                subject=text,
                customer=services.CustomerDetails(name="Someone Else"),
                service=waste,
            )
            record_classification(case, by=officer, themes=[theme])
    train_theme_model()
    earlier = services.create_case(
        by=officer,
        kind="complaint",
        channel="email",
        subject="Green bin missed",
        description="The green bin at 4 Mill Lane was not emptied on Tuesday.",
        customer=services.CustomerDetails(name="Dee Caller", email="dee@example.org"),
        service=waste,
    )

    page = context.new_page()
    page.goto("/staff/")
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(PASSWORD)
    go(page, page.get_by_role("button", name="Sign in", exact=True))
    go(page, page.get_by_role("link", name="Record a contact").first)
    page.locator("#id_channel").select_option("phone")
    page.locator("#id_kind").select_option("complaint")
    page.locator("#id_service").select_option(label="Waste and recycling")
    page.locator("#id_subject").fill("Recycling bin not collected")
    page.locator("#id_description").fill("Nobody collected our recycling bin again this week.")
    page.locator("#id_name").fill("Dee Caller")
    page.locator("#id_email").fill("dee@example.org")
    go(page, page.get_by_role("button", name="Check for themes and related cases"))
    assert_accessible(page)

    # The suggestion, with how likely it is; the earlier contact, with why it matched.
    suggestion = page.get_by_label(re.compile(r"Missed bin collection — suggested, \d+% likely"))
    assert suggestion.is_visible()
    related = page.locator("#learning-triage table")
    assert earlier.reference in related.inner_text()
    assert "Same email address" in related.inner_text()
    assert page.locator("#learning-repeat").is_visible()  # same customer, same service

    suggestion.check()
    page.get_by_label("Leave it in the triage queue").check()
    go(page, page.get_by_role("button", name="Record the contact"))
    assert page.locator(".govuk-notification-banner--success").is_visible()
    case = Case.objects.get(subject="Recycling bin not collected")
    recorded = classification_of(case)
    assert recorded is not None
    assert [t.slug for t in recorded.themes.all()] == ["missed-bin-collection"]
    assert_accessible(page)

    # On the new case: the related panel offers to link it or merge the two customer records;
    # link it, then open it.
    panel = page.locator("#learning")
    assert "Missed bin collection" in panel.inner_text()
    go(page, panel.get_by_role("button", name=f"Link {earlier.reference}"))
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert page.locator("#learning").get_by_text("Linked", exact=True).is_visible()
    merge = page.locator("#learning").get_by_role(
        "link", name=re.compile("Merge the customer records")
    )
    assert merge.get_attribute("href") == (
        f"/staff/customers/{case.customer_id}/merge/{earlier.customer_id}"
    )
    assert_accessible(page)
    related = page.locator("#learning table")
    go(page, related.get_by_role("link", name=earlier.reference, exact=True))
    assert page.url.endswith(f"/staff/cases/{earlier.reference}")
    assert earlier.reference in page.locator("h1").locator("..").inner_text()
    assert_accessible(page)

    # The insight screen, with its charts and tables.
    page.goto("/staff/learning/insight/")
    assert page.get_by_role("heading", name="Themes over time").is_visible()
    assert_accessible(page)
