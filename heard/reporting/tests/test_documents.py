"""Reports as PDF, made in the background: the annual report of the demo council, page 1 as PNG."""

from __future__ import annotations

import numpy as np
import pypdfium2
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from heard.browser_testing import SCREENSHOTS
from heard.org.models import Role
from heard.reporting import documents, selectors, services
from heard.reporting.models import ReportFile
from heard.reporting.periods import parse
from heard.testing import make_staff

SCREENSHOT = SCREENSHOTS / "annual-report.png"


def first_page(pdf: bytes, *, scale: float = 1.5):
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document), document[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def ink(image) -> float:
    """The share of the page that is not (nearly) white."""
    pixels = np.asarray(image.convert("L"))
    return float((pixels < 240).mean())


def test_the_annual_report_pdf_of_the_demo_council_renders(
    register, django_capture_on_commit_callbacks
):
    call_command("demo", "--cases", "2000", "--seed", "1", "--today", "2026-11-02", verbosity=0)
    officer = make_staff(Role.PERFORMANCE_OFFICER, username="perf-pdf")
    scope = selectors.scope_for(officer, selectors.Filters(period=parse("FY2025")))
    with django_capture_on_commit_callbacks(execute=True):
        report_file = services.request_pdf(by=officer, kind="annual", scope=scope)
    job = DBTaskResult.objects.get(task_path="heard.reporting.tasks.make_report_pdf")
    assert job.args_kwargs["args"] == [report_file.pk]

    assert documents.make_pdf(report_file.pk) == ReportFile.Status.READY
    report_file.refresh_from_db()
    pdf = bytes(report_file.content)
    assert pdf.startswith(b"%PDF") and report_file.size == len(pdf)
    pages, image = first_page(pdf)
    assert pages >= 2
    assert ink(image) > 0.04, "page 1 of the annual report is (nearly) blank"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOT, optimize=True)
    # Made once: running the job again changes nothing.
    assert documents.make_pdf(report_file.pk) == ReportFile.Status.READY
