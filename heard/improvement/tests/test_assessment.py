"""Self-assessment: ratings, evidence (documents, links, live figures from Heard), staleness and
the readiness summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from heard.cases import services as case_services
from heard.cases.models import Customer
from heard.core.errors import InvalidInput, NotPermitted
from heard.improvement import evidence, services
from heard.improvement.models import Cycle, EvidenceKind, Priority, Rating
from heard.org.calendars import organisation_calendar
from heard.reporting import figures
from heard.reporting.periods import Period
from heard.testing import make_case

pytestmark = pytest.mark.django_db


def answered(*, days_ago: int, took_days: int, outcome: str, lessons: str = "", **kwargs):
    """A complaint received ``days_ago`` and answered ``took_days`` later."""
    received = timezone.now() - timedelta(days=days_ago)
    case = make_case(received_at=received, **kwargs)
    case_services.respond(
        case,
        by=case.created_by,
        outcome=outcome,
        summary="We looked into it.",
        lessons_learned=lessons,
        at=received + timedelta(days=took_days),
    )
    return case


@pytest.fixture
def dataset(db):
    """Two complaints answered in the last 12 months (one in time, one late) and one before."""
    answered(days_ago=40, took_days=1, outcome="upheld", lessons="Check rounds weekly")
    answered(days_ago=90, took_days=40, outcome="not_upheld", channel="phone")
    answered(days_ago=500, took_days=1, outcome="upheld", lessons="Old lesson")
    customer = Customer.objects.get(cases__subject="Bins not collected", cases__channel="phone")
    customer.access_formats = ["large_print", "braille"]
    customer.save()


@pytest.fixture
def assessment(framework, performance_officer):
    return services.start_assessment(
        by=performance_officer,
        title="CSE annual review 2026",
        cycle=Cycle.ANNUAL_REVIEW,
        assessment_on=date(2026, 9, 1),
        lead=performance_officer,
    )


def test_an_assessment_has_a_row_for_every_element(assessment):
    assert assessment.elements.count() == 57
    assert not assessment.elements.exclude(rating="").exists()


def test_starting_an_assessment_needs_a_title_cycle_and_date(framework, performance_officer):
    with pytest.raises(InvalidInput, match="Enter a title") as error:
        services.start_assessment(
            by=performance_officer, title=" ", cycle="initial", assessment_on=date(2026, 1, 1)
        )
    assert error.value.field == "title"
    with pytest.raises(InvalidInput, match="Choose initial assessment"):
        services.start_assessment(
            by=performance_officer, title="x", cycle="yearly", assessment_on=date(2026, 1, 1)
        )
    with pytest.raises(InvalidInput, match="date of the assessment"):
        services.start_assessment(
            by=performance_officer, title="x", cycle="initial", assessment_on=None
        )


def test_only_editors_start_assessments(framework, front_line):
    with pytest.raises(NotPermitted, match="complaints team, a performance officer"):
        services.start_assessment(
            by=front_line, title="x", cycle="initial", assessment_on=date(2026, 1, 1)
        )


def test_rating_an_element_records_commentary_owner_and_review_date(
    assessment, performance_officer
):
    item = services.element_assessment(assessment.pk, "4.3.4")
    services.assess_element(
        item,
        by=performance_officer,
        rating=Rating.PARTIAL,
        commentary="We log lessons but do not yet publish them.",
        owner=performance_officer,
        review_on=date(2026, 12, 1),
    )
    item.refresh_from_db()
    assert (item.rating, item.owner, item.review_on) == (
        Rating.PARTIAL,
        performance_officer,
        date(2026, 12, 1),
    )


def test_a_rating_needs_a_commentary_and_compliance_plus_needs_evidence(
    assessment, performance_officer
):
    item = services.element_assessment(assessment.pk, "1.1.1")
    with pytest.raises(InvalidInput, match="Enter a commentary"):
        services.assess_element(item, by=performance_officer, rating="compliance", commentary="")
    with pytest.raises(InvalidInput, match="add evidence to this element first"):
        services.assess_element(
            item, by=performance_officer, rating="compliance_plus", commentary="Best in class"
        )


def test_live_figures_count_the_last_12_months_only(dataset):
    today = organisation_calendar().local_date(timezone.now())
    figure = evidence.compute("answered_within_target", today=today)
    assert figure.value == "50.0% (1 of 2 responses)"
    assert figure.period.startswith("12 months, ")
    assert figure.computed_at is not None
    assert evidence.compute("complaints_upheld").value.startswith("50.0% upheld")
    assert evidence.compute("lessons_learned").value == "1 lessons learned recorded"
    assert evidence.compute("complaints_received").value == "2 complaints"
    needs = evidence.compute("access_needs")
    assert needs.value == "1 of 2 customers recorded an access need"
    assert ("Braille", "1") in needs.details
    assert evidence.compute("contacts_by_channel").value == "2 contacts"


def test_the_live_timeliness_figure_is_the_performance_reports_figure(dataset):
    """The live figure and the reports count the same responses on the same fixed data set."""
    calendar = organisation_calendar()
    window = evidence.Window.last_twelve_months()
    scope = figures.Scope(
        period=Period("test", window.start, window.end, "last 12 months"),
        calendar=calendar,
        today=window.end,
    )
    report = figures.totals(figures.complaints_by_stage(scope)[figures.ALL])
    assert evidence.compute("answered_within_target").value == (
        f"{report.percent_answered_in_time}% ({report.answered_in_time} of {report.answered} responses)"
    )
    assert evidence.compute("complaints_upheld").value.startswith(
        f"{report.percent_upheld}% upheld"
    )


def test_live_evidence_keeps_its_value_when_attached_and_shows_the_current_one(
    assessment, performance_officer
):
    item = services.element_assessment(assessment.pk, "5.3.1")
    answered(days_ago=30, took_days=1, outcome="upheld")
    attached = services.add_live(item, by=performance_officer, measure="answered_within_target")
    assert attached.value_when_attached == "100.0% (1 of 1 responses)"
    assert attached.period_when_attached.startswith("12 months")
    answered(days_ago=80, took_days=40, outcome="upheld")
    assert evidence.compute(attached.measure).value == "50.0% (1 of 2 responses)"
    assert attached.title == "Complaint responses sent within target"


def test_links_and_documents_become_stale_after_a_year(assessment, performance_officer):
    item = services.element_assessment(assessment.pk, "1.3.1")
    link = services.add_link(
        item, by=performance_officer, title="Survey 2025", url="https://example.org/survey"
    )
    assert not services.is_stale(link)
    assert services.is_stale(link, now=timezone.now() + timedelta(days=366))
    live = services.add_live(item, by=performance_officer, measure="satisfaction")
    assert not services.is_stale(live, now=timezone.now() + timedelta(days=800))


def test_a_link_must_be_a_web_address(assessment, performance_officer):
    item = services.element_assessment(assessment.pk, "1.3.1")
    with pytest.raises(InvalidInput, match="starting with https://"):
        services.add_link(item, by=performance_officer, title="Survey", url="survey.docx")


def test_documents_are_kept_and_checked(assessment, performance_officer, settings, tmp_path):
    settings.HEARD_ATTACHMENTS_DIR = tmp_path
    item = services.element_assessment(assessment.pk, "2.2.1")
    document = services.add_document(
        item,
        by=performance_officer,
        title="Training plan",
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 training"),
    )
    assert document.kind == EvidenceKind.DOCUMENT
    assert document.file.read() == b"%PDF-1.4 training"
    with pytest.raises(InvalidInput, match="must be a PDF, Word"):
        services.add_document(
            item,
            by=performance_officer,
            title="Script",
            upload=SimpleUploadedFile("run.exe", b"MZ"),
        )


def test_readiness_per_criterion(assessment, performance_officer, framework):
    services.set_priority(
        framework["4.3.4"], by=performance_officer, priority=Priority.GOLD, guidance=""
    )
    services.set_priority(
        framework["4.3.1"], by=performance_officer, priority=Priority.SILVER, guidance=""
    )
    item = services.element_assessment(assessment.pk, "4.3.1")
    services.add_live(item, by=performance_officer, measure="answered_within_target")
    services.assess_element(item, by=performance_officer, rating="compliance", commentary="Met")
    summary = {c.number: c for c in services.readiness(assessment)}
    delivery = summary["4"]
    assert (delivery.elements, delivery.rated, delivery.with_evidence) == (13, 1, 1)
    assert delivery.ratings["compliance"] == 1
    assert delivery.priorities_not_met == ["4.3.4"]
    assert summary["1"].rated == 0


def test_a_live_figure_is_saved_with_its_period_the_financial_year_to_date(
    assessment, performance_officer
):
    today = organisation_calendar().local_date(timezone.now())
    april = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    window = evidence.Window.financial_year_to_date(today)
    assert (window.start, window.end) == (april, today)
    assert window.label.startswith(f"financial year {april.year} to {april.year + 1}, to date: ")
    # one complaint answered this financial year, one in the 12 months but before 1 April
    answered(days_ago=(today - april).days, took_days=0, outcome="upheld")
    answered(days_ago=(today - april).days + 3, took_days=40, outcome="upheld")
    if (today - april).days < 362:  # the earlier one is inside the last 12 months too
        assert evidence.compute("complaints_received").value == "2 complaints"
    assert evidence.compute("complaints_received", period="financial_year").value == "1 complaints"

    item = services.element_assessment(assessment.pk, "4.3.1")
    saved = services.add_live(
        item, by=performance_officer, measure="complaints_received", period="financial_year"
    )
    assert saved.period == "financial_year"
    assert saved.value_when_attached == "1 complaints"
    assert saved.period_when_attached.startswith("financial year")
    with pytest.raises(InvalidInput, match="Choose the period"):
        services.add_live(item, by=performance_officer, measure="complaints_received", period="x")

    from django.test import Client

    client = Client()
    client.force_login(performance_officer)
    page = client.get(f"/staff/improvement/assessments/{assessment.pk}/elements/4.3.1/")
    assert "This financial year to date (from 1 April)" in page.content.decode()
    assert f"financial year {april.year}" in page.content.decode()
