"""Importing the old system's cases: all rows or none, original dates kept, never twice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heard.cases.models import Case, CaseEvent
from heard.cases.normalise import email_key
from heard.channels.legacy import find_by_legacy_reference, import_file
from heard.channels.models import LegacyImport
from heard.channels.tasks import import_legacy  # noqa: F401  (the job exists)

pytestmark = pytest.mark.django_db

CSV = """Reference,Kind,Channel,Received,Stage,Status,Outcome,Responded,Closed,Customer name,Customer email,Customer phone,Customer address,Subject,Description,Service
OLD-1001,complaint,email,03/02/2025,1,closed,upheld,10/02/2025,11/02/2025,Ann Example,ann@example.org,,"1 Elm Road, Town, AB1 2CD",Missed bins,"Bins missed, three weeks running",waste
OLD-1002,service_request,phone,2025-02-04 16:30,,received,,,,Bob Example,,01632 960000,,Street light out,,
OLD-1003,compliment,letter,05-02-2025,1,,,,,Cath Example,,,,Thank you,Great crew,Waste and recycling
"""


def test_a_good_file_imports_every_case_with_its_original_dates(service):
    result = import_file(CSV, source="old.csv")

    assert (result.rows, result.imported, result.problems) == (3, 3, [])
    ann = find_by_legacy_reference("old-1001")
    assert ann is not None
    assert ann.status == "closed"
    assert ann.received_at.date().isoformat() == "2025-02-03"
    assert ann.closed_at is not None and ann.closed_at.date().isoformat() == "2025-02-11"
    assert ann.respond_by.isoformat() == "2025-02-17"  # 10 working days from Monday 3 February
    assert ann.stage_records.get().outcome == "upheld"
    assert ann.service == service
    assert ann.customer.address == "1 Elm Road, Town, AB1 2CD"
    assert ann.reference.startswith("CMP-2025-")
    event = CaseEvent.objects.get(case=ann, action="imported")
    assert "OLD-1001" in event.summary
    cath = find_by_legacy_reference("OLD-1003")
    assert cath is not None and cath.status == "received"


def test_imported_customers_and_cases_carry_the_email_key(service):
    import_file(CSV.replace("ann@example.org", " Ann@Example.org"), source="old.csv")

    ann = find_by_legacy_reference("OLD-1001")
    assert ann is not None
    assert ann.customer.email_key == ann.customer_key == email_key("ann@example.org")
    bob = find_by_legacy_reference("OLD-1002")  # no email address
    assert bob is not None and bob.customer.email_key is None and bob.customer_key is None


def test_running_the_same_file_again_creates_nothing(service):
    import_file(CSV)
    again = import_file(CSV)

    assert (again.imported, again.skipped) == (0, 3)
    assert Case.objects.count() == 3


def test_one_bad_row_imports_nothing_and_is_named_by_its_line(service):
    bad = (
        CSV
        + "OLD-1004,grumble,email,2025-02-06,,,,,,Dan,,,,Noise,,\nOLD-1005,complaint,email,31/02/2025,,,,,,Eve,,,,Noise,,\n"
    )

    result = import_file(bad)

    assert [line for line, _ in result.problems] == [5, 6]
    assert "'grumble' is not a kind" in result.problems[0][1]
    assert "'31/02/2025' in received is not a date" in result.problems[1][1]
    assert Case.objects.count() == 0


def test_a_reference_twice_in_the_file_is_a_bad_row(service):
    result = import_file(CSV + CSV.splitlines()[1] + "\n")

    assert result.problems[0][0] == 5
    assert "also on line 2" in result.problems[0][1]


def test_the_command_dry_run_checks_and_keeps_nothing(tmp_path, service):
    path = tmp_path / "old.csv"
    path.write_text(CSV)
    out = StringIO()

    call_command("import-legacy", str(path), "--dry-run", stdout=out)

    assert "3 rows checked" in out.getvalue()
    assert Case.objects.count() == 0
    call_command("import-legacy", str(path), stdout=out)
    assert Case.objects.count() == 3


def test_the_command_refuses_a_bad_file_saying_what_to_do(tmp_path, service):
    path = tmp_path / "old.csv"
    path.write_text("Reference,Kind\nX,complaint\n")

    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import-legacy", str(path), stdout=StringIO(), stderr=StringIO())


def test_the_background_job_records_its_progress_and_result(tmp_path, service):
    from heard.channels.legacy import run_import

    path = tmp_path / "old.csv"
    path.write_text(CSV)
    run = LegacyImport.objects.create(path=str(path))

    assert run_import(run.pk).startswith("3 imported")
    run.refresh_from_db()
    assert (run.status, run.total_rows, run.imported_rows) == ("imported", 3, 3)
    assert path.exists()  # a file named on the command line is the administrator's to keep
