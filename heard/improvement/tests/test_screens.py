"""The improvement screens through Django's test client: who may see and change what, the forms
and their error messages, live evidence on the page, and the exports."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from heard.improvement import services
from heard.improvement.models import Assessment, ProgressEntry, Suggestion, SuggestionStatus
from heard.improvement.tests.test_plans import seed_000

pytestmark = pytest.mark.django_db

BASE = "/staff/improvement/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def assessment(framework, performance_officer):
    return services.start_assessment(
        by=performance_officer,
        title="CSE reassessment 2026",
        cycle="reassessment",
        assessment_on=date(2026, 9, 1),
    )


@pytest.fixture
def nobody(db):
    """Signed in, but holding no Heard role."""
    return get_user_model().objects.create_user("nobody", password="x" * 16)


def test_every_page_needs_sign_in(assessment):
    for url in [BASE, f"{BASE}standard/", f"{BASE}assessments/{assessment.pk}/", f"{BASE}ideas/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/account/sign-in")


def test_an_editor_sees_every_page(assessment, performance_officer):
    plan = seed_000(performance_officer)
    client = signed_in(performance_officer)
    review = plan.reviews.first()
    for url in [
        BASE,
        f"{BASE}standard/",
        f"{BASE}standard/4.3.4/",
        f"{BASE}assessments/new",
        f"{BASE}assessments/{assessment.pk}/",
        f"{BASE}assessments/{assessment.pk}/elements/4.3.2/",
        f"{BASE}assessments/{assessment.pk}/export",
        f"{BASE}plans/new",
        f"{BASE}plans/{plan.pk}/",
        f"{BASE}plans/{plan.pk}/actions/new",
        f"{BASE}plans/{plan.pk}/actions/1/",
        f"{BASE}plans/{plan.pk}/reviews/new",
        f"{BASE}plans/{plan.pk}/reviews/{review.pk}/actions/2",
        f"{BASE}plans/{plan.pk}/report",
        f"{BASE}ideas/",
        f"{BASE}ideas/new",
    ]:
        assert signed_in(performance_officer).get(url).status_code == 200, url
    page = client.get(f"{BASE}assessments/{assessment.pk}/elements/4.3.2/").content.decode()
    assert "Source of wording" in page


def test_other_staff_see_but_do_not_change(assessment, front_line, performance_officer):
    plan = seed_000(performance_officer)
    client = signed_in(front_line)
    assert client.get(f"{BASE}assessments/{assessment.pk}/").status_code == 200
    assert client.get(f"{BASE}plans/{plan.pk}/report").status_code == 200
    for url in [
        f"{BASE}assessments/new",
        f"{BASE}standard/1.1.1/",
        f"{BASE}plans/{plan.pk}/actions/new",
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"{BASE}assessments/{assessment.pk}/elements/1.1.1/",
        {"form": "rating", "rating-rating": "compliance", "rating-commentary": "x"},
    )
    assert response.status_code == 403


def test_staff_without_a_role_may_only_suggest(assessment, nobody):
    client = signed_in(nobody)
    assert client.get(f"{BASE}assessments/{assessment.pk}/").status_code == 403
    assert client.get(f"{BASE}ideas/new").status_code == 200


def test_starting_an_assessment_says_what_is_missing(framework, performance_officer):
    client = signed_in(performance_officer)
    response = client.post(f"{BASE}assessments/new", {"title": ""})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a title." in page
    assert "Choose initial assessment, annual review or reassessment." in page
    assert "Enter the date of the assessment." in page
    response = client.post(
        f"{BASE}assessments/new",
        {
            "title": "CSE 2026",
            "cycle": "initial",
            "assessment_on_0": "1",
            "assessment_on_1": "9",
            "assessment_on_2": "2026",
        },
    )
    assessment = Assessment.objects.get(title="CSE 2026")
    assert response["Location"] == f"{BASE}assessments/{assessment.pk}/"


def test_rating_an_element_with_live_evidence_on_screen(assessment, performance_officer):
    client = signed_in(performance_officer)
    url = f"{BASE}assessments/{assessment.pk}/elements/5.3.1/"
    page = client.get(url).content.decode()
    assert "Complaint responses sent within target (suggested for this element)" in page
    response = client.post(url, {"form": "live", "live-measure": "answered_within_target"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "no figure yet (0 of 0 responses)" in page
    assert "12 months, " in page
    assert "computed " in page
    response = client.post(url, {"form": "rating", "rating-rating": "compliance"})
    assert "Enter a commentary." in response.content.decode()
    response = client.post(
        url,
        {
            "form": "rating",
            "rating-rating": "compliance_plus",
            "rating-commentary": "Published monthly",
        },
    )
    assert response.status_code == 302
    item = services.element_assessment(assessment.pk, "5.3.1")
    assert item.rating == "compliance_plus"


def test_a_bad_link_is_refused_with_what_to_do(assessment, performance_officer):
    url = f"{BASE}assessments/{assessment.pk}/elements/1.3.1/"
    response = signed_in(performance_officer).post(
        url, {"form": "link", "link-title": "Survey", "link-url": "survey.docx"}
    )
    assert "Enter the link&#x27;s full address, starting with https://" in response.content.decode()


def test_the_assessment_exports_for_the_assessor(assessment, performance_officer):
    item = services.element_assessment(assessment.pk, "4.3.4")
    services.add_live(item, by=performance_officer, measure="lessons_learned")
    services.assess_element(item, by=performance_officer, rating="partial", commentary="Logged")
    client = signed_in(performance_officer)
    page = client.get(f"{BASE}assessments/{assessment.pk}/export").content.decode()
    assert "0 lessons learned recorded" in page
    response = client.get(f"{BASE}assessments/{assessment.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Element", "Wording", "Priority", "Rating"]
    assert len(rows) == 58
    lessons = next(r for r in rows if r[0] == "4.3.4")
    assert lessons[3] == "Partial Compliance"
    assert "0 lessons learned recorded (12 months, " in lessons[7]


def test_recording_progress_and_the_seed_000_report(framework, performance_officer):
    plan = seed_000(performance_officer)
    client = signed_in(performance_officer)
    review = plan.reviews.last()
    url = f"{BASE}plans/{plan.pk}/reviews/{review.pk}/actions/2"
    response = client.post(url, {"evidence": ""})
    page = response.content.decode()
    assert "Enter the evidence of progress." in page
    assert "Choose the assessment of progress" in page
    client.post(url, {"evidence": "New completion date December 2010.", "category": "3"})
    entry = ProgressEntry.objects.get(review=review, action__number=2)
    assert entry.evidence == "New completion date December 2010."
    response = client.get(f"{BASE}plans/{plan.pk}/report.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == [
        "No",
        "Recommendation",
        "Responsibility",
        "Anticipated Completion Date",
        "Evidence of Progress 17/05/10",
        "Assessment of progress (Categories 1-4) 17/05/10",
    ]
    assert rows[1][7] == "1 - Achieved fully"
    assert rows[2][7] == "3 - Slipped"
    assert rows[2][8] == "Yes"  # overdue
    page = client.get(f"{BASE}plans/{plan.pk}/").content.decode()
    assert "Overdue" in page


def test_adding_an_action_on_screen(framework, performance_officer):
    plan = services.create_plan(by=performance_officer, title="Senate complaints scrutiny")
    client = signed_in(performance_officer)
    response = client.post(
        f"{BASE}plans/{plan.pk}/actions/new",
        {
            "text": "Develop and implement an online complaint tracking system for customers",
            "category": "S",
            "lead_officers": "James Allan",
            "starts_on_0": "11",
            "starts_on_1": "4",
            "starts_on_2": "2011",
            "ends_on_0": "31",
            "ends_on_1": "10",
            "ends_on_2": "2011",
            "outcomes_for_customers": "Provide an excellent customer experience",
            "success_factors": "High level of customer satisfaction with all services",
            "risk_reference": "10",
            "reports_to": "L & D Cmtte, Customer Panel, Senate",
            "elements": "4.3.2, 5.2.4",
        },
    )
    assert response.status_code == 302
    action = plan.actions.get()
    assert action.ends_on == date(2011, 10, 31)
    assert action.elements.count() == 2
    response = client.post(
        f"{BASE}plans/{plan.pk}/actions/new",
        {"text": "x", "lead_officers": "y", "elements": "7.7.7"},
    )
    assert "use numbers like 4.3.4" in response.content.decode()


def test_suggesting_and_the_panel_adopting_on_screen(front_line, performance_officer):
    response = signed_in(front_line).post(f"{BASE}ideas/new", {"title": "", "idea": ""})
    assert "Enter a short title for your idea." in response.content.decode()
    signed_in(front_line).post(
        f"{BASE}ideas/new", {"title": "Plain English letters", "idea": "Rewrite the templates."}
    )
    idea = Suggestion.objects.get()
    panel = signed_in(performance_officer)
    url = f"{BASE}ideas/{idea.pk}/"
    response = panel.post(url, {"form": "decision", "decision-status": "not_adopted"})
    assert "Enter the reason, which the person who made the suggestion will see." in (
        response.content.decode()
    )
    panel.post(url, {"form": "decision", "decision-status": "adopted", "decision-reason": "Good"})
    idea.refresh_from_db()
    assert idea.status == SuggestionStatus.ADOPTED
    # The suggester sees their own idea and the outcome, but nobody else's.
    assert "Adopted" in signed_in(front_line).get(url).content.decode()
    other = services.submit_suggestion(by=performance_officer, title="Mine", idea="Secret idea")
    assert signed_in(front_line).get(f"{BASE}ideas/{other.pk}/").status_code == 403
    assert "Secret idea" not in signed_in(front_line).get(f"{BASE}ideas/").content.decode()
    # The suggester may not decide.
    response = signed_in(front_line).post(
        url, {"form": "decision", "decision-status": "implemented"}
    )
    assert response.status_code == 403
