"""The improvement journeys in a real browser (Playwright driving Chromium), with axe-core on
every page: rating an element with live evidence, recording progress at a review, importing a
plan, the evidence portfolio, a Bright Idea submitted, scored and adopted, and an external
assessor who sees their one assessment and is refused everywhere else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache

from heard.browser_testing import assert_accessible, go
from heard.cases.selectors import local_today
from heard.improvement import portfolio, services
from heard.improvement.framework import load_framework
from heard.improvement.models import (
    Criterion,
    Element,
    ElementAssessment,
    PortfolioExport,
    ProgressEntry,
    SubCriterion,
    Suggestion,
    SuggestionStatus,
)
from heard.org.models import Role
from heard.testing import ensure_shipped_data, make_staff

PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def context(browser, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    ensure_shipped_data()
    load_framework(Criterion, SubCriterion, Element)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def person(username: str, *roles: Role):
    user = make_staff(*roles, username=username)
    user.set_password(PASSWORD)
    user.first_name, user.last_name = username.title(), "Officer"
    user.save()
    return user


def sign_in(context, username: str, password: str = PASSWORD):
    page = context.new_page()
    page.goto("/staff/account/sign-in")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    go(page, page.get_by_role("button", name="Sign in", exact=True))
    return page


def test_rate_with_live_evidence_record_progress_and_adopt_a_bright_idea(
    context, browser, live_server
):
    editor = person("perf", Role.PERFORMANCE_OFFICER)
    front = person("front", Role.FRONT_LINE_OFFICER)
    assessment = services.start_assessment(
        by=editor, title="CSE annual review 2026", cycle="annual_review", assessment_on=date.today()
    )
    plan = services.create_plan(by=editor, title="Customer First scrutiny review")
    services.add_action(
        plan,
        by=editor,
        details=services.ActionDetails(
            text="Adopt the Customer Service Excellence Standard corporately.",
            lead_officers="D Hurwood",
        ),
    )
    review = services.add_review(plan, by=editor, reviewed_on=date(2026, 5, 17))

    page = sign_in(context, "perf")
    # an element rated Compliance Plus on the strength of a live figure
    page.goto(f"/staff/improvement/assessments/{assessment.pk}/elements/5.3.1/")
    assert_accessible(page)
    page.get_by_label("Complaint responses sent within target (suggested for this element)").check()
    go(page, page.get_by_role("button", name="Add the figure"))
    assert page.locator(".govuk-notification-banner--success").is_visible()
    page.get_by_label("Compliance Plus").check()
    page.get_by_label("Commentary").fill("Every response is measured against its target.")
    go(page, page.get_by_role("button", name="Save the rating"))
    assert_accessible(page)
    item = ElementAssessment.objects.get(assessment=assessment, element__number="5.3.1")
    assert item.rating == "compliance_plus" and item.evidence.count() == 1

    # progress at a review
    page.goto(f"/staff/improvement/plans/{plan.pk}/")
    assert_accessible(page)
    go(page, page.get_by_role("link", name="Record progress on action 1 at 17/05/2026"))
    assert_accessible(page)
    page.get_by_label("Evidence of progress").fill("All service blocks have been assessed.")
    page.get_by_label("2 - On track").check()
    go(page, page.get_by_role("button", name="Save the progress"))
    assert ProgressEntry.objects.get(review=review).category == 2
    page.goto(f"/staff/improvement/plans/{plan.pk}/report")
    assert_accessible(page)

    # a plan file with a bad row: nothing imported, the row named
    page.goto(f"/staff/improvement/plans/{plan.pk}/import")
    assert_accessible(page)
    page.get_by_label("Action plan (CSV)").set_input_files(
        files=[
            {
                "name": "plan.csv",
                "mimeType": "text/csv",
                "buffer": b"Action,Lead Officer\nTrain staff,Jo\nPublish standards,\n",
            }
        ]
    )
    go(page, page.get_by_role("button", name="Import the actions"))
    assert "Line 3: Lead Officer: Enter the lead officer or officers." in page.inner_text(
        "#import-problems"
    )
    assert_accessible(page)
    assert plan.actions.count() == 1

    # the portfolio, made in the background
    page.goto(f"/staff/improvement/assessments/{assessment.pk}/portfolio")
    assert_accessible(page)
    go(page, page.get_by_role("button", name="Make the portfolio now"))
    export = PortfolioExport.objects.get(assessment=assessment)
    assert portfolio.build(export.pk) == PortfolioExport.Status.READY
    page.reload()
    assert page.get_by_role("link", name="PDF").is_visible()
    assert_accessible(page)

    # a Bright Idea: submitted by a front-line officer, scored and adopted by the panel
    suggester = sign_in(browser.new_context(base_url=live_server.url), "front")
    suggester.goto("/staff/improvement/ideas/new")
    assert_accessible(suggester)
    suggester.get_by_label("Your idea in a few words").fill("Call-back slots")
    suggester.get_by_label("Your idea", exact=True).fill("Let callers book a call-back time.")
    go(suggester, suggester.get_by_role("button", name="Send my idea"))
    assert_accessible(suggester)
    idea = Suggestion.objects.get(title="Call-back slots")
    suggester.context.close()

    page.goto(f"/staff/improvement/ideas/{idea.pk}/")
    page.get_by_text("Give your scores").click()
    for criterion in ("customers", "staff", "saving", "ease"):
        page.locator(f"input[name=score-{criterion}][value='4']").check()
    go(page, page.get_by_role("button", name="Save my scores"))
    assert_accessible(page)
    page.get_by_label("Adopted", exact=True).check()
    go(page, page.get_by_role("button", name="Save the decision"))
    assert_accessible(page)
    idea.refresh_from_db()
    assert idea.status == SuggestionStatus.ADOPTED
    assert front.pk == idea.submitted_by_id


def test_an_external_assessor_sees_one_assessment_and_nothing_else(context):
    editor = person("perf", Role.PERFORMANCE_OFFICER)
    assessment = services.start_assessment(
        by=editor, title="CSE reassessment 2026", cycle="reassessment", assessment_on=date.today()
    )
    other = services.start_assessment(
        by=editor, title="CSE review 2025", cycle="annual_review", assessment_on=date.today()
    )
    page = sign_in(context, "perf")
    page.goto(f"/staff/improvement/assessments/{assessment.pk}/assessors")
    assert_accessible(page)
    go(page, page.get_by_role("button", name="Create the account and give access"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    last_day = local_today() + timedelta(days=10)
    page.get_by_label("Full name").fill("Sam Certifier")
    page.get_by_label("Email address").fill("sam@certifier.example")
    page.get_by_label("Username", exact=True).fill("sam.certifier")
    form = page.locator("form", has=page.get_by_label("Full name"))
    form.get_by_label("Day").fill(str(last_day.day))
    form.get_by_label("Month").fill(str(last_day.month))
    form.get_by_label("Year").fill(str(last_day.year))
    go(page, page.get_by_role("button", name="Create the account and give access"))
    password = page.inner_text("#assessor-password")
    assert_accessible(page)
    page.context.clear_cookies()

    assessor = sign_in(context, "sam.certifier", password)
    assert assessor.url.endswith(f"/staff/improvement/assessments/{assessment.pk}/")
    assert_accessible(assessor)
    go(assessor, assessor.get_by_role("link", name="4.3.4"))
    assert_accessible(assessor)
    for url in (
        f"/staff/improvement/assessments/{other.pk}/",
        "/staff/search?q=bins",
        "/staff/improvement/ideas/",
    ):
        response = assessor.goto(url)
        assert response is not None and response.status == 403, url
    assert_accessible(assessor)
