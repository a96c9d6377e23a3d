"""The report pages over HTTP: who may see what, filters, CSV, explanations, imports, publication."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from heard.equality.services import SUPPRESS_BELOW
from heard.org.models import Role
from heard.reporting import imports, services
from heard.reporting.models import DipExplanation, Import, Publication
from heard.reporting.periods import parse
from heard.reporting.tests.dataset import build
from heard.testing import make_staff

Q1 = {"period": "2026-Q1"}


@pytest.fixture
def data(register):
    return build()


@pytest.fixture
def performance(client, db):
    user = make_staff(Role.PERFORMANCE_OFFICER, username="perf")
    client.force_login(user)
    return user


def test_the_dashboard_shows_standards_stages_and_services(client, data, performance):
    page = client.get(reverse("reporting:dashboard"), Q1)
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Letters, faxes and emails from the public are acknowledged within 5 working days" in html
    )
    assert "50.0%" in html  # the acknowledgement standard: 2 of 4
    assert "Explain this dip" in html
    assert "Housing repairs" in html and "Waste and recycling" in html
    assert "£350.00" in html


def test_without_a_period_the_dashboard_shows_the_current_quarter(client, data, performance):
    page = client.get(reverse("reporting:dashboard"))
    assert page.status_code == 200


def test_a_bad_period_is_explained_on_the_form(client, data, performance):
    page = client.get(reverse("reporting:dashboard"), {"period": "last spring"})
    assert page.status_code == 200
    assert "is not a period" in page.content.decode()


def test_the_dashboard_figures_download_as_csv(client, data, performance):
    response = client.get(reverse("reporting:dashboard"), {**Q1, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["period", "section", "measure", "breakdown", "value"]
    assert ["2026-Q1", "complaints", "% answered within target", "stage 1", "66.7"] in rows
    assert ["2026-Q1", "remedies", "financial redress (£)", "", "350.00"] in rows


def test_a_head_of_service_sees_only_their_services(client, data):
    head = make_staff(Role.HEAD_OF_SERVICE, services=[data.repairs])
    client.force_login(head)
    page = client.get(reverse("reporting:dashboard"), Q1)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Waste and recycling" not in html
    assert "Housing repairs" in html
    other = client.get(reverse("reporting:dashboard"), {**Q1, "service": data.waste.pk})
    assert other.status_code == 200
    assert "Select a valid choice" in other.content.decode()


def test_staff_without_a_reporting_role_are_refused(client, data):
    client.force_login(make_staff(Role.FRONT_LINE_OFFICER, services=[data.waste]))
    assert client.get(reverse("reporting:dashboard")).status_code == 403
    client.logout()
    assert client.get(reverse("reporting:dashboard")).status_code == 302


def test_a_dip_is_explained_on_the_standards_page(client, data, performance):
    url = reverse("reporting:standard", args=["letters-acknowledged-5wd"]) + "?period=2026-Q1"
    empty = client.post(url, {"explanation": "", "action": ""})
    assert "Explain why the standard was missed." in empty.content.decode()
    saved = client.post(url, {"explanation": "Two staff off sick.", "action": "Cover arranged."})
    assert saved.status_code == 302
    explanation = DipExplanation.objects.get()
    assert (explanation.period_key, explanation.written_by) == ("2026-Q1", performance)
    page = client.get(reverse("reporting:dashboard"), Q1)
    assert "Two staff off sick." in page.content.decode()


def test_a_head_of_service_cannot_explain_a_dip(client, data):
    client.force_login(make_staff(Role.HEAD_OF_SERVICE, services=[data.waste]))
    url = reverse("reporting:standard", args=["letters-acknowledged-5wd"]) + "?period=2026-Q1"
    assert client.get(url).status_code == 200
    assert client.post(url, {"explanation": "x", "action": "y"}).status_code == 403


def test_an_upload_is_checked_in_the_background_and_its_progress_shown(
    client, register, performance, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "calls.csv",
        b"line,period,calls offered,calls answered,answered within threshold,abandoned\n"
        b"Main switchboard,2026-01,100,90,80,10\n"
        b"Main switchboard,2026-02,100,90,95,10\n",
        content_type="text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:imports"), {"kind": "telephony", "file": upload})
    created = Import.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:import", args=[created.pk])
    waiting = client.get(response["Location"]).content.decode()
    assert "0 of 2 rows checked" in waiting
    assert 'http-equiv="refresh"' in waiting
    imports.run(created.pk)  # what the worker does
    done = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in done
    assert "More calls answered within the threshold (95) than answered (90)." in done
    assert 'http-equiv="refresh"' not in done


def test_an_upload_form_error_says_what_to_do(client, register, performance):
    response = client.post(reverse("reporting:imports"), {"kind": "telephony"})
    assert "Choose the CSV file to import." in response.content.decode()


def test_the_annual_report_and_panel_pack_render_and_download(client, data, performance):
    annual = client.get(reverse("reporting:annual"), {"period": "FY2025"})
    assert annual.status_code == 200
    assert "Annual complaints performance and service improvement report" in annual.content.decode()
    annual_csv = client.get(reverse("reporting:annual"), {"period": "FY2025", "format": "csv"})
    assert b"stage 1" in annual_csv.content
    panel = client.get(reverse("reporting:panel"), {"period": "2026-03"})
    html = panel.content.decode()
    assert panel.status_code == 200
    assert "£250.00" in html  # C's stage-2 award, March
    panel_csv = client.get(reverse("reporting:panel"), {"period": "2026-03", "format": "csv"})
    assert "Housing repairs,2026-03,1,250.00" in panel_csv.content.decode()


def test_only_a_performance_officer_or_administrator_publishes(client, data):
    client.force_login(make_staff(Role.COMPLAINTS_TEAM))
    assert client.post(reverse("reporting:publish") + "?period=2026-Q1").status_code == 403
    assert Publication.objects.count() == 0


def test_the_public_page_shows_only_what_was_published(client, data, performance):
    public = reverse("performance:period", args=["2026-Q1"])
    client.logout()
    assert client.get(public).status_code == 404
    client.force_login(performance)
    response = client.post(
        reverse("reporting:publish") + "?period=2026-Q1",
        {"improvements": "You said bins; we did bins."},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(public)
    assert page.status_code == 200
    html = page.content.decode()
    assert "You said bins; we did bins." in html
    assert "fewer than 5" in html
    assert client.get(reverse("performance:index")).status_code == 200
    open_data = client.get(reverse("performance:csv", args=["2026-Q1"]))
    assert open_data["Content-Type"].startswith("text/csv")


def test_a_publication_shows_no_count_under_five(data, performance):
    publication = services.publish(by=performance, period=parse("2026-Q1"))
    figures = publication.figures

    def counts(value, name=""):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield from counts(inner, key)
        elif isinstance(value, list):
            for inner in value:
                yield from counts(inner, name)
        elif name in {"count", "started", "answered", "counted", "responses"}:
            yield value

    found = list(counts(figures))
    assert found
    for value in found:
        assert value == f"fewer than {SUPPRESS_BELOW}" or value >= SUPPRESS_BELOW
    # No percentage of fewer than five cases either: the data set has at most five per stage.
    for stage in figures["stages"]:
        assert stage["answered_in_time"] == "not published (too few)"


def test_the_public_page_text_has_no_number_under_five_in_a_count_cell(client, data, performance):
    services.publish(by=performance, period=parse("2026-Q1"))
    client.logout()
    html = client.get(reverse("performance:period", args=["2026-Q1"])).content.decode()
    cells = re.findall(r'govuk-table__cell--numeric">([^<]*)<', html)
    for cell in cells:
        assert not re.fullmatch(r"[0-4]", cell.strip()), cells


def test_the_public_page_shows_what_changed_because_of_complaints(client, data, performance):
    from heard.learning.models import Lesson

    Lesson.objects.create(
        title="Bins returned to the property line",
        you_said="Crews left bins blocking the pavement.",
        we_did="Crews now return every bin to the property line.",
        public=True,
    )
    Lesson.objects.create(
        title="Internal only", you_said="x", we_did="Not for publishing", public=False
    )
    services.publish(by=performance, period=parse("2026-Q1"))
    client.logout()
    html = client.get(reverse("performance:period", args=["2026-Q1"])).content.decode()
    assert "You said, we did" in html
    assert "Crews now return every bin to the property line." in html
    assert "Not for publishing" not in html
