"""The quarterly standards report, the self-assessment, equality monitoring, PDFs over HTTP and the
dashboard's filters and charts, on the small fixed data set of ``dataset.py``."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from heard.equality.models import EqualityResponse
from heard.org.models import Role
from heard.reporting import documents, services
from heard.reporting.models import ReportFile, SelfAssessmentComment
from heard.reporting.periods import parse
from heard.reporting.tests.dataset import build
from heard.reporting.tests.test_documents import first_page, ink
from heard.testing import make_staff

Q1 = {"period": "2026-Q1"}
ACK = "letters-acknowledged-5wd"


@pytest.fixture
def data(register):
    return build()


@pytest.fixture
def performance(client, db):
    user = make_staff(Role.PERFORMANCE_OFFICER, username="perf")
    client.force_login(user)
    return user


def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


# -- quarterly standards report ---------------------------------------------------------------


def test_the_quarterly_report_shows_each_standard_month_by_month_with_its_dips(
    client, data, performance, register
):
    services.explain_dip(
        by=performance,
        standard=register[ACK],
        period=parse("2026-02"),
        explanation="Post room closed for a week.",
        action="Cover arranged.",
    )
    page = client.get(reverse("reporting:quarterly"), Q1)
    html = page.content.decode()
    assert page.status_code == 200
    for month in ("January 2026", "February 2026", "March 2026"):
        assert month in html
    assert "Post room closed for a week." in html and "Cover arranged." in html
    rows = rows_of(client.get(reverse("reporting:quarterly"), {**Q1, "format": "csv"}))
    name = register[ACK].name
    # February: 2 of the 4 letters and emails acknowledged within 5 working days (A late, G never).
    february = next(r for r in rows if r[1] == name and r[3] == "2026-02")
    assert february[4:8] == ["2", "4", "50.0", "Missed"]
    assert february[8] == "Post room closed for a week."
    january = next(r for r in rows if r[1] == name and r[3] == "2026-01")
    assert january[4:8] == ["0", "0", "", "No data"]
    quarter = next(r for r in rows if r[1] == name and r[3] == "2026-Q1")
    assert quarter[4:6] == ["2", "4"]


# -- self-assessment ------------------------------------------------------------------------------


def test_the_self_assessment_fills_the_evidence_from_the_figures(client, data, performance):
    page = client.get(reverse("reporting:self_assessment"), {**Q1, "code": "hos-2024"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Housing Ombudsman Complaint Handling Code (2024)" in html
    # Stage 1 answered in Q1: A on time, B late (within its extension), C on time; D withdrawn.
    assert "Stage 1: 2 of 3 answered within the target (66.7%); 1 extended" in html
    assert "Stage 2: 1 of 1 answered within the target (100.0%)" in html
    assert "1 extension used on 4 answers" in html


def test_commentary_is_saved_per_section_and_appears_in_the_csv(client, data, performance):
    url = reverse("reporting:self_assessment") + "?period=2026-Q1&code=lgsco"
    response = client.post(url, {"comment-remedies": "We apologise and pay promptly."})
    assert response.status_code == 302
    comment = SelfAssessmentComment.objects.get()
    assert (comment.code, comment.period_key, comment.section) == ("lgsco", "2026-Q1", "remedies")
    rows = rows_of(client.get(url + "&format=csv"))
    assert rows[0] == ["period", "code", "section", "requirement", "evidence", "commentary"]
    remedies = [r for r in rows if r[2] == "7. Putting things right"]
    assert remedies and remedies[0][5] == "We apologise and pay promptly."
    assert "£350.00 paid in 2 awards" in remedies[0][4]


def test_a_head_of_service_may_read_but_not_write_the_self_assessment(client, data):
    head = make_staff(Role.HEAD_OF_SERVICE, services=[data.repairs])
    client.force_login(head)
    url = reverse("reporting:self_assessment") + "?period=2026-Q1"
    assert client.get(url).status_code == 200
    assert client.post(url, {"comment-remedies": "x"}).status_code == 403


# -- equality monitoring --------------------------------------------------------------------------


def equality_answers() -> None:
    month = date(2026, 2, 1)
    for _ in range(6):
        EqualityResponse.objects.create(month=month, contact_kind="complaint", sex="female")
    for _ in range(2):
        EqualityResponse.objects.create(month=month, contact_kind="complaint", sex="male")


@pytest.mark.parametrize("role", [Role.EQUALITY_OFFICER, Role.ADMINISTRATOR])
def test_the_equality_report_is_aggregate_and_suppresses_small_numbers(client, db, role):
    equality_answers()
    client.force_login(make_staff(role, username="eq"))
    page = client.get(reverse("reporting:equality"), Q1)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Female" in html and "fewer than 5" in html
    rows = rows_of(client.get(reverse("reporting:equality"), {**Q1, "format": "csv"}))
    assert ["2026-Q1", "Sex", "Female", "6"] in rows
    assert ["2026-Q1", "Sex", "Male", "fewer than 5"] in rows
    assert ["2026-Q1", "all", "", "8"] in rows


@pytest.mark.parametrize(
    "role", [Role.PERFORMANCE_OFFICER, Role.COMPLAINTS_TEAM, Role.HEAD_OF_SERVICE]
)
def test_only_equality_officers_and_administrators_see_equality_monitoring(client, db, role):
    client.force_login(make_staff(role, username="not-eq"))
    assert client.get(reverse("reporting:equality"), Q1).status_code == 403
    response = client.post(reverse("reporting:request_pdf"), {"kind": "equality", **Q1})
    assert response.status_code == 403


def test_the_equality_officer_sees_only_the_equality_report(client, db):
    client.force_login(make_staff(Role.EQUALITY_OFFICER, username="eq"))
    assert client.get(reverse("reporting:dashboard"), Q1).status_code == 403
    html = client.get(reverse("reporting:equality"), Q1).content.decode()
    assert f'href="{reverse("reporting:dashboard")}"' not in html


# -- PDFs over HTTP ---------------------------------------------------------------------------------


def test_a_report_is_made_as_pdf_in_the_background_and_downloaded(
    client, data, performance, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:request_pdf"), {"kind": "panel", "period": "2026-02"}
        )
    report_file = ReportFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_file", args=[report_file.pk])
    assert report_file.status == ReportFile.Status.QUEUED
    waiting = client.get(response["Location"])
    assert "Waiting to start" in waiting.content.decode()
    assert (
        client.get(reverse("reporting:download_report_file", args=[report_file.pk])).status_code
        == 404
    )

    assert documents.make_pdf(report_file.pk) == ReportFile.Status.READY
    assert "Your PDF is ready" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("reporting:download_report_file", args=[report_file.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="panel-2026-02.pdf"' in download["Content-Disposition"]
    _, image = first_page(download.content, scale=0.5)
    assert ink(image) > 0.02


@pytest.mark.parametrize("kind", ["quarterly", "self_assessment"])
def test_the_other_reports_render_as_pdf(data, performance, kind):
    report_file = ReportFile.objects.create(
        kind=kind, period_key="2026-Q1", period_label="January to March 2026"
    )
    assert documents.make_pdf(report_file.pk) == ReportFile.Status.READY
    report_file.refresh_from_db()
    assert bytes(report_file.content).startswith(b"%PDF")


def test_a_head_of_service_cannot_download_a_pdf_of_every_service(client, data):
    every = ReportFile.objects.create(
        kind="annual", period_key="FY2025", period_label="x", status="ready", content=b"%PDF"
    )
    theirs = ReportFile.objects.create(
        kind="annual",
        period_key="FY2025",
        period_label="x",
        service_ids=[data.repairs.pk],
        status="ready",
        content=b"%PDF",
    )
    client.force_login(make_staff(Role.HEAD_OF_SERVICE, services=[data.repairs]))
    assert client.get(reverse("reporting:report_file", args=[every.pk])).status_code == 403
    download = reverse("reporting:download_report_file", args=[theirs.pk])
    assert client.get(download).status_code == 200


def test_a_head_of_services_pdf_covers_only_their_services(client, data):
    client.force_login(make_staff(Role.HEAD_OF_SERVICE, services=[data.repairs]))
    client.post(reverse("reporting:request_pdf"), {"kind": "annual", "period": "FY2025"})
    assert ReportFile.objects.get().service_ids == [data.repairs.pk]


def test_a_failed_pdf_says_so(data, monkeypatch):
    report_file = ReportFile.objects.create(kind="annual", period_key="FY2025", period_label="x")

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(documents, "render_pdf", broken)
    assert documents.make_pdf(report_file.pk) == ReportFile.Status.FAILED
    report_file.refresh_from_db()
    assert report_file.error == "no fonts"


# -- dashboard filters and charts -------------------------------------------------------------


def test_the_dashboard_filters_by_stage_kind_and_channel(client, data, performance):
    stage_2 = client.get(reverse("reporting:dashboard"), {**Q1, "stage": 2}).content.decode()
    assert "Stage 2" in stage_2
    assert '<th scope="row" class="govuk-table__header">Stage 1</th>' not in stage_2
    rows = rows_of(
        client.get(reverse("reporting:dashboard"), {**Q1, "channel": "letter", "format": "csv"})
    )
    # Letters: B (answered) and G (never answered).
    assert ["2026-Q1", "complaints", "answered", "stage 1", "1"] in rows
    compliments = rows_of(
        client.get(reverse("reporting:dashboard"), {**Q1, "kind": "compliment", "format": "csv"})
    )
    assert ["2026-Q1", "complaints", "answered", "stage 1", "1"] in compliments  # E


def test_the_dashboard_charts_have_tables_beside_them(client, data, performance):
    html = client.get(reverse("reporting:dashboard"), Q1).content.decode()
    assert "Stages answered, by working days to respond" in html
    assert 'role="img" aria-label="Bar chart of working days to respond' in html
    assert "Standards over time" in html
    assert "October to December 2025" in html  # the trend goes back three quarters
