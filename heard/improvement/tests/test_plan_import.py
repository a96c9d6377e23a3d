"""Importing an action plan from CSV in seed 001's columns: all or nothing, every bad row named
by its line with what to put right."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from heard.core.errors import NotPermitted
from heard.improvement import plan_import, services
from heard.improvement.models import PlanAction

pytestmark = pytest.mark.django_db

# Seed 001's header row and first rows, as a spreadsheet saves them.
SEED_001 = (
    "Action,SPIRIT,Start Date,End Date,Lead Officer,Outcomes for Customers,"
    "Success Factors (from delivery plan),Strategic Risk Register Reference,"
    "Milestone Progress Reports To:\n"
    "To develop and implement an online complaint tracking system for customers,S,11/04/11,"
    "31/10/11,James Allan,Provide an excellent customer experience,"
    "High level of customer satisfaction with all services,10,"
    '"L & D Cmtte, Customer Panel, Senate"\n'
    "To review the Feedback Policy defining what constitutes a complaint,S,11/04/11,31/08/11,"
    "Rebecca Chambers,Provide an excellent customer experience,"
    "High level of customer satisfaction with all services,10,"
    '"L & D Cmtte, Customer Panel, Senate"\n'
    "Develop and implement a means of assessing complaint handling,,,,Sarah Henderson,"
    "Be an increasingly efficient organisation,,,\n"
)


@pytest.fixture
def plan(performance_officer):
    return services.create_plan(by=performance_officer, title="Complaints scrutiny April 2011")


def test_seed_001_imports_with_its_own_header_row(plan, performance_officer, framework):
    result = plan_import.import_plan(plan, by=performance_officer, raw=SEED_001.encode())
    assert result.problems == []
    actions = list(PlanAction.objects.filter(plan=plan).order_by("number"))
    assert [a.number for a in actions] == [1, 2, 3]
    first = actions[0]
    assert first.text.startswith("To develop and implement an online complaint tracking")
    assert first.category == "S"
    assert (first.starts_on, first.ends_on) == (date(2011, 4, 11), date(2011, 10, 31))
    assert first.lead_officers == "James Allan"
    assert first.outcomes_for_customers == "Provide an excellent customer experience"
    assert first.success_factors == "High level of customer satisfaction with all services"
    assert first.risk_reference == "10"
    assert first.reports_to == "L & D Cmtte, Customer Panel, Senate"
    assert actions[2].starts_on is None and actions[2].lead_officers == "Sarah Henderson"


def test_a_bad_row_imports_nothing_and_names_the_row(plan, performance_officer, framework):
    services.add_action(
        plan,
        by=performance_officer,
        details=services.ActionDetails(text="Existing action", lead_officers="Jo"),
    )
    bad = (
        SEED_001
        + "Train every officer,S,01/05/11,31/13/11,Margaret Connor,,,,\n"  # line 5: no month 13
        + "Publish the standards,S,01/06/11,01/05/11,Jayne Bury,,,,\n"  # line 6: ends first
        + "Tell customers what changed,,,,,,,,\n"  # line 7: no lead officer
    )
    result = plan_import.import_plan(plan, by=performance_officer, raw=bad.encode())
    assert result.actions == []
    assert [(p.line, p.message) for p in result.problems] == [
        (5, "End Date: The end date “31/13/11” is not a date; write it as 31/10/2026."),
        (
            6,
            "End Date: The anticipated completion date must be the same as or after the start "
            "date.",
        ),
        (7, "Lead Officer: Enter the lead officer or officers."),
    ]
    assert list(plan.actions.values_list("text", flat=True)) == ["Existing action"]


def test_an_unknown_element_and_a_missing_column_are_reported(plan, performance_officer, framework):
    result = plan_import.import_plan(
        plan,
        by=performance_officer,
        raw=b'Action,Lead Officer,CSE elements\nTrain staff,Jo,"4.3.4, 9.9.9"\n',
    )
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "CSE Elements: The standard has no element 9.9.9; use numbers like 4.3.4.")
    ]
    result = plan_import.import_plan(plan, by=performance_officer, raw=b"Action,Owner\nX,Y\n")
    assert result.problems[0].line == 1
    assert "no Lead Officer column" in result.problems[0].message
    assert not plan.actions.exists()


def test_a_tab_separated_file_and_elements_are_read(plan, performance_officer, framework):
    raw = "Action\tLead Officer\tCSE Elements\nRun a Bright Ideas scheme\tTBC\t2.1.6; 2.2.4\n"
    result = plan_import.import_plan(plan, by=performance_officer, raw=raw.encode("cp1252"))
    assert result.problems == []
    (action,) = result.actions
    assert sorted(action.elements.values_list("number", flat=True)) == ["2.1.6", "2.2.4"]


def test_only_editors_import(plan, front_line):
    with pytest.raises(NotPermitted):
        plan_import.import_plan(plan, by=front_line, raw=SEED_001.encode())


def test_the_import_page_lists_every_bad_row_and_imports_a_good_file(
    plan, performance_officer, framework
):
    client = Client()
    client.force_login(performance_officer)
    url = f"/staff/improvement/plans/{plan.pk}/import"
    assert client.get(url).status_code == 200

    response = client.post(url, {})
    assert "Choose the CSV file of the action plan." in response.content.decode()

    bad = SEED_001 + "Tell customers what changed,,,,,,,,\n"
    response = client.post(url, {"file": SimpleUploadedFile("plan.csv", bad.encode())})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in page
    assert "Line 5: Lead Officer: Enter the lead officer or officers." in page
    assert not plan.actions.exists()

    response = client.post(url, {"file": SimpleUploadedFile("plan.csv", SEED_001.encode())})
    assert response.status_code == 302
    assert plan.actions.count() == 3
