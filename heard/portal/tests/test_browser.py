"""Journeys in a real browser (Playwright driving Debian's Chromium), with axe-core on every page.

Each kind is sent in English and in Welsh; a case is followed by its emailed link,
escalated, and every public page is checked for serious or critical accessibility
violations in both languages. One journey runs with JavaScript switched off.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from heard.browser_testing import assert_accessible, go
from heard.cases import services as case_services
from heard.cases.models import Case
from heard.notify.models import Message
from heard.notify.services import deliver
from heard.org.models import Role
from heard.testing import ensure_shipped_data, make_service, make_staff


@pytest.fixture
def page(browser, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HEARD_PUBLIC_URL = live_server.url
    cache.clear()  # rate limits count per email address across tests otherwise
    ensure_shipped_data()
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def send(page, kind_label: str, *, welsh: bool = False) -> str:
    page.goto("/")
    if welsh and page.locator("html").get_attribute("lang") != "cy":
        go(page, page.get_by_role("button", name="Cymraeg"))
    assert page.locator("html").get_attribute("lang") == ("cy" if welsh else "en")
    assert_accessible(page)
    go(page, page.get_by_role("button", name=re.compile("Start now|Dechrau nawr")))
    assert_accessible(page)
    page.get_by_label(kind_label).check()
    go(page, page.get_by_role("button", name=re.compile("Continue|Parhau")))
    assert_accessible(page)
    page.locator("#id_subject").fill("Bins not collected")
    page.locator("#id_what_happened").fill(
        "The bins in our street have not been emptied for three weeks."
    )
    go(page, page.get_by_role("button", name=re.compile("Continue|Parhau")))
    # Leave the name out first: the error summary must be accessible too.
    go(page, page.get_by_role("button", name=re.compile("Continue|Parhau")))
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.locator("#id_name").fill("Ann Smith")
    page.locator("#id_email").fill("ann@example.org")
    page.locator("#id_contact_preference").check()
    page.locator("input[value=large_print]").check()
    go(page, page.get_by_role("button", name=re.compile("Continue|Parhau")))
    assert_accessible(page)
    go(page, page.get_by_role("button", name=re.compile("^(Send|Anfon)$")))
    if not page.locator(".govuk-panel").count():
        raise AssertionError(page.url + "\n" + page.content()[:3000])
    panel = page.locator(".govuk-panel__body strong")
    reference = panel.inner_text()
    assert_accessible(page)
    return reference


KINDS = {
    "en": [
        "Make a complaint",
        "Pay a compliment",
        "Make a comment or suggestion",
        "Report a problem or request a service",
    ],
    "cy": [
        "Gwneud cwyn",
        "Rhoi canmoliaeth",
        "Gwneud sylw neu awgrym",
        "Rhoi gwybod am broblem neu ofyn am wasanaeth",
    ],
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_kind_can_be_sent_in_english_and_welsh(page, language):
    make_service("waste", "Waste and recycling")
    references = [send(page, label, welsh=language == "cy") for label in KINDS[language]]
    cases = Case.objects.filter(reference__in=references)
    assert sorted(cases.values_list("kind", flat=True)) == [
        "comment",
        "complaint",
        "compliment",
        "service_request",
    ]
    assert {c.customer.language for c in cases} == {language}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_case_is_followed_by_its_link_and_escalated(page, language):
    central = make_staff(Role.COMPLAINTS_TEAM)
    reference = send(page, KINDS[language][0], welsh=language == "cy")
    case = Case.objects.get(reference=reference)
    case_services.respond(
        case, by=central, outcome="not_upheld", summary="Our crews collected on time."
    )
    page.goto("/track")
    assert_accessible(page)
    page.locator("#id_reference").fill(reference)
    page.locator("#id_email").fill("ann@example.org")
    go(
        page,
        page.get_by_role("button", name=re.compile("Email me a link|Anfon dolen ataf drwy e-bost")),
    )
    assert_accessible(page)
    for message in Message.objects.filter(status="queued"):
        deliver(message.pk)
    email = next(
        m
        for m in mail.outbox
        if reference in m.subject and ("Follow" in m.subject or "Dilyn" in m.subject)
    )
    link = re.search(r"https?://\S+/track/\S+", str(email.body))
    assert link is not None
    page.goto(link.group(0))
    assert page.get_by_text("Our crews collected on time.").is_visible()
    assert_accessible(page)
    page.locator("#id_unresolved").fill("They still have not been emptied.")
    go(
        page,
        page.get_by_role("button", name=re.compile("I'm still unhappy|Rydw i'n dal yn anhapus")),
    )
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert_accessible(page)
    case.refresh_from_db()
    assert case.stage_number == 2
    page.goto(link.group(0)[:-3] + "xyz")
    assert page.locator("h1").inner_text() in (
        "This link does not work",
        "Nid yw'r ddolen hon yn gweithio",
    )
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_forms_work_with_javascript_switched_off(browser, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ensure_shipped_data()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/tell-us/kind")
    page.get_by_label("Make a complaint").check()
    go(page, page.get_by_role("button", name="Continue"))
    page.locator("#id_subject").fill("Pothole")
    page.locator("#id_what_happened").fill("A deep pothole outside number 4.")
    go(page, page.get_by_role("button", name="Continue"))
    page.locator("#id_name").fill("Bob Jones")
    page.locator("#id_contact_preference").check()
    page.locator("#id_email").fill("bob@example.org")
    go(page, page.get_by_role("button", name="Continue"))
    go(page, page.get_by_role("button", name="Send"))
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert Case.objects.filter(reference=reference, subject="Pothole").exists()
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_equality_questions_and_the_survey_are_answered_in_the_browser(page, language):
    from heard.equality.models import EqualityResponse
    from heard.portal.models import SurveyResponse
    from heard.portal.services import survey_link

    central = make_staff(Role.COMPLAINTS_TEAM)
    welsh = language == "cy"
    reference = send(page, KINDS[language][0], welsh=welsh)
    go(page, page.locator("a[href='/tell-us/equality']"))
    assert_accessible(page)
    page.locator("#id_age_band").check()
    go(page, page.get_by_role("button", name=re.compile("Send answers|Anfon atebion")))
    assert_accessible(page)
    assert EqualityResponse.objects.count() == 1

    case = Case.objects.get(reference=reference)
    case_services.respond(case, by=central, outcome="upheld", summary="Sorry.")
    case_services.close(case, by=central)
    page.goto(survey_link(case))
    assert_accessible(page)
    for question in ("handling", "timeliness", "outcome", "ease_of_contact"):
        page.locator(f"#id_{question}").check()
    page.locator("#id_comments").fill("Kept me informed.")
    go(page, page.get_by_role("button", name=re.compile("Send answers|Anfon atebion")))
    assert_accessible(page)
    assert SurveyResponse.objects.get(case=case).comments == "Kept me informed."
