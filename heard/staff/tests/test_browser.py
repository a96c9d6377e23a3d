"""The officers' main journeys in a real browser (Playwright driving Chromium), with axe-core
on every staff page they pass through. The queue, case and triage screenshots in the user
guide are taken here."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache

from heard.browser_testing import assert_accessible, go, screenshot
from heard.cases import services
from heard.cases.models import Case, CustomerRestriction
from heard.org.calendars import organisation_calendar
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


def person(username: str, *roles: Role, services_: tuple = (), first: str = "", last: str = ""):
    user = make_staff(*roles, services=services_, username=username)
    user.set_password(PASSWORD)
    user.first_name, user.last_name = first or username.title(), last or "Officer"
    user.save()
    return user


def sign_in(context, user):
    page = context.new_page()
    page.goto("/staff/")
    assert "/staff/account/sign-in" in page.url
    assert_accessible(page)
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    go(page, page.get_by_role("button", name="Sign in", exact=True))
    assert page.url.endswith("/staff/"), page.url
    return page


def test_triage_a_phone_call_to_a_service(context):
    waste = make_service("waste", "Waste and recycling")
    make_service("housing", "Housing")
    front = person("frontline", Role.FRONT_LINE_OFFICER, services_=(waste,), first="Fran")
    page = sign_in(context, front)
    assert_accessible(page)
    go(page, page.get_by_role("link", name="Record a contact").first)
    assert_accessible(page)
    page.locator("#id_channel").select_option("phone")
    page.locator("#id_kind").select_option("service_request")
    page.locator("#id_service").select_option(label="Waste and recycling")
    page.locator("#id_subject").fill("Green bin not emptied")
    page.locator("#id_description").fill("Caller says the green bin at 4 Mill Lane was missed.")
    page.locator("#id_name").fill("Dee Caller")
    page.locator("#id_phone").fill("07700 900777")
    page.locator("#id_address").fill("4 Mill Lane\nTownsville\nTN1 4ML")
    screenshot(page, "triage")
    # Leave out how it was resolved: the error is clear, accessible, and nothing is lost.
    page.get_by_label("Resolved now, at first contact").check()
    go(page, page.get_by_role("button", name="Record the contact"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    assert page.locator("#id_subject").input_value() == "Green bin not emptied"
    page.get_by_label("Leave it in the triage queue").check()
    go(page, page.get_by_role("button", name="Record the contact"))
    assert page.locator(".govuk-notification-banner--success").is_visible()
    case = Case.objects.get(subject="Green bin not emptied")
    assert case.channel == "phone" and case.service == waste and case.created_by == front
    assert case.reference in page.locator("h1").locator("..").inner_text()
    assert_accessible(page)
    page.goto("/staff/queues/my-services")
    assert page.get_by_role("link", name=case.reference).is_visible()
    assert_accessible(page)


def test_acknowledge_extend_respond_with_a_checked_letter_and_escalate(context):
    waste = make_service("waste", "Waste and recycling")
    officer = person(
        "investigator", Role.INVESTIGATING_OFFICER, services_=(waste,), first="Ivy", last="Ng"
    )
    head = person("head", Role.HEAD_OF_SERVICE, services_=(waste,), first="Hal", last="Head")
    central = make_staff(Role.COMPLAINTS_TEAM)
    checker = person("checker", Role.COMPLAINTS_TEAM, first="Cal", last="Checker")
    case = services.create_case(
        by=central,
        kind="complaint",
        channel="email",
        subject="Missed collections on Mill Lane",
        description="Our bins have been missed three weeks running.",
        customer=services.CustomerDetails(
            name="Ann Resident",
            email="ann@example.org",
            address="1 Mill Lane\nTownsville\nTN1 4ML",
            access_formats=("large_print",),
        ),
        service=waste,
    )
    services.allocate(case, by=central, officer=officer)
    for n in range(3):
        make_case_for_queue(central, waste, officer, n)

    page = sign_in(context, officer)
    go(page, page.get_by_role("link", name="My cases"))
    assert_accessible(page)
    screenshot(page, "queue")
    go(page, page.get_by_role("link", name=case.reference))
    assert page.get_by_text("Large print").is_visible()
    assert_accessible(page)

    go(page, page.get_by_role("link", name="Acknowledge", exact=True))
    assert_accessible(page)
    go(page, page.get_by_role("button", name="Acknowledge"))
    assert page.locator(".govuk-notification-banner--success").is_visible()

    case.refresh_from_db()
    new_date = organisation_calendar().add_working_days(case.respond_by, 5)
    go(page, page.get_by_role("link", name="Extend the deadline"))
    assert_accessible(page)
    page.locator("#id_new_date_0").fill(str(new_date.day))
    page.locator("#id_new_date_1").fill(str(new_date.month))
    page.locator("#id_new_date_2").fill(str(new_date.year))
    page.locator("#id_reason").fill("The crew's records are needed from the contractor.")
    page.locator("#id_customer_told_how").select_option("email")
    go(page, page.get_by_role("button", name="Extend the deadline"))
    case.refresh_from_db()
    assert case.respond_by == new_date

    # The stage 1 response letter: drafted, checked by a second person, then posted.
    go(page, page.get_by_role("link", name="Letters and emails"))
    assert_accessible(page)
    page.locator("#id_template").select_option(label="Stage response (letter) — English")
    go(page, page.get_by_role("button", name="Start a draft"))
    assert_accessible(page)
    body = page.locator("#id_body")
    body.fill(
        re.sub(
            r"\[\[.*?\]\]",
            "Two collections were missed because the crew's round changed.",
            body.input_value(),
            flags=re.S,
        )
    )
    go(page, page.get_by_role("button", name="Send for quality check"))
    if page.locator(".govuk-error-summary").count():
        raise AssertionError(page.locator(".govuk-error-summary").inner_text())
    assert case.letters.get().status == "awaiting_check"
    letter_url = page.url
    # Sending before the check is refused by the stage's rule.
    assert not page.get_by_role("button", name="Record as posted").count()

    checker_context = page.context.browser.new_context(base_url=page.url.split("/staff")[0])
    checker_page = sign_in(checker_context, checker)
    go(checker_page, checker_page.get_by_role("link", name="Letters to check"))
    assert_accessible(checker_page)
    checker_page.goto(letter_url)
    assert_accessible(checker_page)
    go(checker_page, checker_page.get_by_role("button", name="Approve"))
    checker_context.close()

    page.goto(letter_url)
    go(page, page.get_by_role("button", name="Record as posted").first)
    assert page.get_by_text("Sent").first.is_visible()
    assert_accessible(page)
    letter = case.letters.get()
    assert letter.status == "sent" and letter.checker == checker and letter.author == officer
    page.goto(f"/staff/cases/{case.reference}")

    go(page, page.get_by_role("link", name="Record the response"))
    assert_accessible(page)
    page.get_by_label("Partly upheld").check()
    page.locator("#id_summary").fill("Two collections were missed; the round has been changed.")
    page.get_by_label("An apology was made").check()
    page.locator("#id_lessons_learned").fill("Check round sheets weekly.")
    go(page, page.get_by_role("button", name="Record the response"))
    case.refresh_from_db()
    assert case.status == "responded"
    screenshot(page, "case")
    assert_accessible(page)

    go(page, page.get_by_role("link", name="Timeline", exact=True))
    assert page.get_by_text("Stage 1 answered: partly upheld.").is_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    page = sign_in(context, head)
    page.goto(f"/staff/cases/{case.reference}")
    go(page, page.get_by_role("link", name="Escalate to the next stage"))
    assert_accessible(page)
    page.locator("#id_unresolved").fill("The bins were missed again this week.")
    go(page, page.get_by_role("button", name="Escalate to the next stage"))
    case.refresh_from_db()
    assert case.stage_number == 2
    assert page.get_by_text("Stage 2 of 3").is_visible()
    assert_accessible(page)


def make_case_for_queue(by, service, officer, n):
    case = services.create_case(
        by=by,
        kind="complaint" if n % 2 else "service_request",
        channel=["phone", "email", "letter"][n],
        subject=["Fly-tipping on Elm Road", "Bin not returned", "Rude crew member"][n],
        customer=services.CustomerDetails(name=f"Customer {n}", email=f"c{n}@example.org"),
        service=service,
        procedure="council-3-stage" if n % 2 else None,
    )
    services.allocate(case, by=by, officer=officer)


def test_restrict_a_customer(context):
    waste = make_service("waste", "Waste and recycling")
    manager = person("manager", Role.COMPLAINTS_TEAM, first="Mo")
    case = services.create_case(
        by=manager,
        kind="complaint",
        channel="phone",
        subject="Repeated calls about a neighbour's bins",
        customer=services.CustomerDetails(name="Pat Persistent", phone="07700 900001"),
        service=waste,
    )
    page = sign_in(context, manager)
    page.goto(f"/staff/cases/{case.reference}")
    go(page, page.get_by_role("link", name="Pat Persistent").first)
    assert_accessible(page)
    go(page, page.get_by_role("link", name="Restrict contact"))
    assert_accessible(page)
    page.get_by_label("Single point of contact").check()
    page.locator("#id_details").fill("Contact by email only, to the complaints manager.")
    page.locator("#id_reason").fill("Forty calls in two weeks; abusive to staff on 3 November.")
    review = date.today() + timedelta(days=90)
    page.locator("#id_review_on_0").fill(str(review.day))
    page.locator("#id_review_on_1").fill(str(review.month))
    page.locator("#id_review_on_2").fill(str(review.year))
    go(page, page.get_by_role("button", name="Restrict contact"))
    assert CustomerRestriction.objects.filter(customer=case.customer, ended_at=None).exists()
    assert_accessible(page)
    page.goto(f"/staff/cases/{case.reference}")
    assert page.get_by_text("Contact from Pat Persistent is restricted").is_visible()
    assert_accessible(page)


def test_find_a_case_by_postcode_and_by_a_word(context):
    waste = make_service("waste", "Waste and recycling")
    officer = person("finder", Role.COMPLAINTS_TEAM, first="Fin")
    wanted = services.create_case(
        by=officer,
        kind="complaint",
        channel="email",
        subject="Overflowing litter bin",
        description="The litter bin by the bus shelter is overflowing with rubbish.",
        customer=services.CustomerDetails(
            name="Lou Park", email="lou@example.org", address="9 Park Road\nTownsville\nTN2 9PR"
        ),
        service=waste,
    )
    services.create_case(
        by=officer,
        kind="complaint",
        channel="email",
        subject="Noisy collection",
        description="Collections at 5am are too loud.",
        customer=services.CustomerDetails(
            name="Kim Other", email="kim@example.org", address="1 Elm Road\nTownsville\nTN3 1ER"
        ),
        service=waste,
    )
    page = sign_in(context, officer)
    for query in ("TN2 9PR", "shelter"):
        page.locator("#header-search").fill(query)
        go(page, page.get_by_role("button", name="Search", exact=True).first)
        assert page.get_by_role("link", name=wanted.reference).is_visible(), query
        assert not page.get_by_text("Noisy collection").count(), query
        assert_accessible(page)
    go(page, page.get_by_role("link", name=wanted.reference))
    assert page.locator("h1").inner_text() == "Overflowing litter bin"


def test_a_case_of_another_service_is_refused(context):
    waste = make_service("waste", "Waste and recycling")
    housing = make_service("housing", "Housing")
    officer = person("outsider", Role.INVESTIGATING_OFFICER, services_=(waste,))
    central = make_staff(Role.COMPLAINTS_TEAM)
    theirs = services.create_case(
        by=central,
        kind="complaint",
        channel="email",
        subject="Damp in flat",
        customer=services.CustomerDetails(name="Tenant", email="t@example.org"),
        service=housing,
    )
    page = sign_in(context, officer)
    response = page.goto(f"/staff/cases/{theirs.reference}")
    assert response is not None and response.status == 403
    assert page.locator("h1").inner_text() == "You cannot see this page"
    assert_accessible(page)


def test_every_staff_page_has_no_serious_accessibility_violation(context):
    """axe-core on each staff page and form, in its plain state and with its errors shown."""
    waste = make_service("waste", "Waste and recycling")
    admin = person("sweeper", Role.ADMINISTRATOR, first="Sam")
    central = make_staff(Role.COMPLAINTS_TEAM)
    open_case = services.create_case(
        by=central,
        kind="complaint",
        channel="email",
        subject="Missed bins",
        customer=services.CustomerDetails(name="Ann Example", email="ann@example.org"),
        service=waste,
        representative=services.CustomerDetails(name="Cllr Jones"),
        representative_role="elected_member",
    )
    duplicate = services.create_case(
        by=central,
        kind="complaint",
        channel="phone",
        subject="Missed bins again",
        customer=services.CustomerDetails(name="Ann Example", email="ann@example.org"),
        service=waste,
    )
    closed = services.create_case(
        by=central,
        kind="compliment",
        channel="email",
        subject="Thanks to the crew",
        customer=services.CustomerDetails(name="Bea Kind", email="bea@example.org"),
        service=waste,
    )
    services.respond(closed, by=central, summary="Passed on to the crew.")
    services.close(closed, by=central)
    restriction = CustomerRestriction.objects.create(
        customer=open_case.customer,
        kind="channel_limit",
        details="Email only",
        reason="Repeated calls",
        review_on=date.today(),
        set_by=central,
    )
    customer = open_case.customer_id
    page = sign_in(context, admin)
    pages = [
        "/staff/",
        "/staff/queues/unallocated",
        "/staff/queues/overdue?kind=complaint&stage=1",
        "/staff/queues/quality-check",
        "/staff/queues/members",
        f"/staff/cases/{open_case.reference}",
        f"/staff/cases/{open_case.reference}/timeline",
        f"/staff/cases/{open_case.reference}/allocate",
        f"/staff/cases/{closed.reference}",
        f"/staff/cases/{closed.reference}/reopen",
        f"/staff/customers/{customer}",
        f"/staff/customers/{customer}/merge/{duplicate.customer_id}",
        f"/staff/customers/{customer}/restrictions/{restriction.pk}/review",
        "/staff/search?q=zebra",
        "/staff/search?q=" + "x" * 300,
        "/staff/cases/CMP-2026-999999",
    ]
    for url in pages:
        page.goto(url)
        assert_accessible(page)
    # Forms with their errors showing.
    for url, button in [
        (f"/staff/cases/{closed.reference}/reopen", "Reopen"),
        (f"/staff/customers/{customer}/restrictions/{restriction.pk}/review", "Record the review"),
        (f"/staff/customers/{customer}/merge/{duplicate.customer_id}", "Merge the records"),
        (f"/staff/customers/{customer}/restrict", "Restrict contact"),
        ("/staff/triage", "Record the contact"),
    ]:
        page.goto(url)
        go(page, page.get_by_role("button", name=button))
        assert page.locator(".govuk-error-summary").is_visible(), url
        assert_accessible(page)


def test_the_other_staff_areas_have_no_serious_accessibility_violation(context):
    """axe-core over account, letters, learning, improvement and personal-data pages, plain and
    with errors."""
    waste = make_service("waste", "Waste and recycling")
    admin = person("allrounder", Role.ADMINISTRATOR, first="Alex")
    central = make_staff(Role.COMPLAINTS_TEAM)
    case = services.create_case(
        by=central,
        kind="complaint",
        channel="email",
        subject="Missed bins",
        customer=services.CustomerDetails(name="Ann Example", email="ann@example.org"),
        service=waste,
    )
    page = sign_in(context, admin)
    for url in [
        "/staff/account/",
        "/staff/account/two-step-verification/set-up",
        "/staff/correspondence/awaiting-check",
        f"/staff/correspondence/{case.reference}",
        "/staff/improvement/",
        "/staff/improvement/standard/",
        "/staff/improvement/assessments/new",
        "/staff/improvement/plans/new",
        "/staff/improvement/ideas/",
        "/staff/improvement/ideas/new",
        "/staff/privacy/",
        "/staff/privacy/reads/",
        "/staff/privacy/subject-access/",
        "/staff/privacy/erase/",
        "/staff/privacy/retention/",
        "/staff/learning/",
        "/staff/learning/warnings/",
        "/staff/learning/lessons/",
        "/staff/learning/lessons/new",
        "/you-said-we-did/",
    ]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert_accessible(page)
    # A letter drafted from a template, then its page and printable view.
    page.goto(f"/staff/correspondence/{case.reference}")
    page.locator("#id_template").select_option(index=1)
    go(page, page.get_by_role("button", name="Start a draft"))
    assert_accessible(page)
    go(page, page.get_by_role("button", name="Send for quality check"))
    assert_accessible(page)  # refused: the template's [[placeholders]] are still there
    # Forms submitted empty show their errors accessibly.
    for url in [
        "/staff/improvement/plans/new",
        "/staff/improvement/ideas/new",
        "/staff/privacy/erase/",
        "/staff/learning/lessons/new",
    ]:
        page.goto(url)
        page.locator("main form button[type=submit], main form .govuk-button").last.click()
        page.wait_for_load_state()
        assert_accessible(page)
