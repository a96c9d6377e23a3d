"""The evidence portfolio (PDF and zip of documents, made in the background) and the seed 000
progress report as PDF: each renders, page 1 turned into PNG is not blank, and the screenshots
in docs/screenshots are made from them."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import numpy as np
import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from heard.browser_testing import SCREENSHOTS
from heard.cases.selectors import local_today
from heard.improvement import evidence, portfolio, services
from heard.improvement.models import PortfolioExport
from heard.improvement.tests.test_plans import seed_000

pytestmark = pytest.mark.django_db


def pages_of(pdf: bytes) -> tuple[int, str, Any]:
    """How many pages, the text of them all, and page 1 as an image."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
        return len(document), text, document[0].render(scale=1.5).to_pil().convert("RGB")
    finally:
        document.close()


def ink(image) -> float:
    """The share of the page that is not (nearly) white."""
    return float((np.asarray(image.convert("L")) < 240).mean())


@pytest.fixture
def assessment(framework, performance_officer):
    assessment = services.start_assessment(
        by=performance_officer,
        title="CSE annual review 2026",
        cycle="annual_review",
        assessment_on=date(2026, 9, 1),
    )
    item = services.element_assessment(assessment.pk, "5.3.1")
    services.add_live(item, by=performance_officer, measure="answered_within_target")
    services.assess_element(
        item,
        by=performance_officer,
        rating="compliance_plus",
        commentary="Complaint responses are monitored against target every month.",
    )
    policy = services.element_assessment(assessment.pk, "4.3.4")
    document = SimpleUploadedFile("lessons policy.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    services.add_document(policy, by=performance_officer, title="Lessons policy", upload=document)
    services.add_link(
        policy, by=performance_officer, title="Published lessons", url="https://example.org/l"
    )
    return assessment


def test_the_portfolio_is_made_in_the_background_and_renders(
    assessment, performance_officer, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(performance_officer)
    url = f"/staff/improvement/assessments/{assessment.pk}/portfolio"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    export = PortfolioExport.objects.get(assessment=assessment)
    job = DBTaskResult.objects.get(task_path="heard.improvement.tasks.make_portfolio")
    assert job.args_kwargs["args"] == [export.pk]
    assert export.status == PortfolioExport.Status.QUEUED

    assert portfolio.build(export.pk) == PortfolioExport.Status.READY
    assert portfolio.build(export.pk) == PortfolioExport.Status.READY  # made once
    export.refresh_from_db()
    assert export.document_count == 1

    pdf = client.get(f"{url}/{export.pk}/pdf")
    assert pdf.status_code == 200
    content = pdf.getvalue()
    assert content.startswith(b"%PDF")
    pages, text, image = pages_of(content)
    assert pages >= 3
    assert ink(image) > 0.03, "page 1 of the portfolio is (nearly) blank"
    assert "Index by element" in text and "4.3.2" in text
    figure = evidence.compute("answered_within_target")
    assert f"now {figure.value}" in " ".join(text.split())
    assert "Compliance Plus" in text and "Lessons policy" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOTS / "improvement-portfolio.png", optimize=True)

    archive = client.get(f"{url}/{export.pk}/zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.getvalue())) as opened:
        names = opened.namelist()
        document = next(n for n in names if n.startswith("4.3.4/"))
        assert document.endswith("lessons policy.pdf")
        assert opened.read(document) == b"%PDF-1.4\n%%EOF\n"
        assert "README.txt" in names
    assert client.get(f"{url}/{export.pk}/docx").status_code == 404


def test_a_portfolio_not_yet_made_cannot_be_downloaded(assessment, performance_officer):
    export = portfolio.request_portfolio(assessment, by=performance_officer, today=local_today())
    client = Client()
    client.force_login(performance_officer)
    base = f"/staff/improvement/assessments/{assessment.pk}/portfolio"
    assert client.get(f"{base}/{export.pk}/pdf").status_code == 404
    page = client.get(base).content.decode()
    assert "Waiting to start" in page


def test_the_seed_000_progress_report_exports_to_pdf_in_its_shape(framework, performance_officer):
    plan = seed_000(performance_officer)
    client = Client()
    client.force_login(performance_officer)
    response = client.get(f"/staff/improvement/plans/{plan.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages, text, image = pages_of(response.content)
    words = " ".join(text.split())
    for heading in ("Evidence of progress 17/05/10", "Evidence of progress 04/10/10"):
        assert heading in words
    for number, fragment in [
        (1, "Customer Service Excellence Standard"),
        (2, "voicemail"),
        (3, "staff suggestion scheme"),
    ]:
        assert fragment in words, number
    assert "3 - Slipped" in words and "1 - Achieved fully" in words
    assert pages == 1  # three actions and two reviews fit one landscape page
    assert ink(image) > 0.03, "page 1 of the progress report is (nearly) blank"
    image.save(SCREENSHOTS / "improvement-progress-report.png", optimize=True)
