"""Another system's export imported through a mapping file: the CFPB worked example in docs/."""

from collections import Counter
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heard.cases.models import Case, StageRecord
from heard.cases.search import search_cases
from heard.channels.legacy import find_by_legacy_reference, import_file, load_mapping
from heard.channels.models import LegacyCase
from heard.core.errors import InvalidInput
from heard.org.models import Role
from heard.testing import make_service, make_staff

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

ROOT = Path(__file__).resolve().parents[3]
MAPPING = ROOT / "docs" / "legacy-mapping-cfpb.toml"
EXPORT = ROOT.parent / "shared" / "data" / "cfpb-complaints-sample.csv"


@pytest.fixture
def cfpb_services(db):
    for slug in ("credit-reporting", "debt-collection", "banking", "lending"):
        make_service(slug)


@pytest.mark.skipif(not EXPORT.is_file(), reason="the shared CFPB sample is not beside the repo")
def test_the_real_cfpb_export_imports_through_the_shipped_mapping_and_not_twice(cfpb_services):
    text = EXPORT.read_text(encoding="utf-8-sig")
    mapping = load_mapping(MAPPING)

    first = import_file(text, source=str(EXPORT), mapping=mapping)

    assert first.problems == []
    assert (first.rows, first.imported, first.skipped) == (3999, 3999, 0)
    assert Case.objects.count() == LegacyCase.objects.count() == StageRecord.objects.count() == 3999
    channels = Counter(Case.objects.values_list("channel", flat=True))
    assert channels == {
        "web": 3888 + 5,
        "phone": 75,
        "via_representative": 18,
        "letter": 13,
    }
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert statuses == {"received": 3289, "closed": 515 + 167 + 22 + 6}
    # A row with a quoted comma in the company and the product, and a DD-MM-YYYY date.
    first_row = find_by_legacy_reference("6896026")
    assert first_row is not None
    assert first_row.received_at.astimezone(LONDON).strftime("%Y-%m-%d") == "2023-04-27"
    assert first_row.service is not None and first_row.service.slug == "credit-reporting"
    assert "Company: EQUIFAX, INC." in first_row.description
    assert first_row.customer.address == "PA, 19145"
    assert first_row.kind == "complaint" and first_row.reference.startswith("CMP-2023-")
    closed = Case.objects.filter(status="closed").select_related("legacy").first()
    assert closed is not None and closed.closed_at is not None and closed.responded_at is not None
    assert Counter(StageRecord.objects.values_list("outcome", flat=True)) == {
        "": 3289 + 6,
        "not_upheld": 515,
        "partly_upheld": 167,
        "upheld": 22,
    }
    # Deadlines by the usual rule from the date received, not the import date.
    assert first_row.deemed_received.isoformat() == "2023-04-27"
    # 10 working days; 1 May and 8 May 2023 (the coronation) were bank holidays.
    assert first_row.respond_by.isoformat() == "2023-05-15"

    again = import_file(text, source=str(EXPORT), mapping=mapping)

    assert (again.imported, again.skipped, again.problems) == (0, 3999, [])
    assert Case.objects.count() == 3999


def test_old_references_stay_searchable_by_officers(cfpb_services):
    mapping = load_mapping(MAPPING)
    import_file(_cfpb_rows(), mapping=mapping)
    officer = make_staff(Role.COMPLAINTS_TEAM)

    found = find_by_legacy_reference("6896026")

    assert found is not None
    _, cases = search_cases(officer, found.reference)
    assert list(cases) == [found]


def _cfpb_rows(*extra: str) -> str:
    header = (
        "Date_received,Product,Sub_product,Issue,Sub-issue,Consumer_complaint_narrative,"
        "Company_public_response,Company,State,ZIP_code,Tags,Consumer_consent_provided?,"
        "Submitted_via,Date_sent_to_company,Company_response_to_consumer,Timely_response?,"
        "Consumer_disputed?,Complaint_ID"
    )
    rows = [
        '27-04-2023,"Credit reporting, credit repair services, or other personal consumer reports",'
        'Credit reporting,Incorrect information on your report,,,,"EQUIFAX, INC.",PA,19145,,,Web,'
        "27-04-2023,In progress,Yes,N/A,6896026",
        "03-03-2023,Debt collection,I do not know,Written notification about debt,,"
        '"They wrote to me, twice, about a debt I do not owe.",,ENCORE CAPITAL GROUP INC.,TX,'
        "78725,Servicemember,Consent provided,Postal mail,06-03-2023,"
        "Closed with monetary relief,Yes,N/A,6500001",
    ]
    return "\n".join([header, *rows, *extra]) + "\n"


def test_a_row_the_mapping_cannot_translate_imports_nothing_and_names_its_line(cfpb_services):
    bad = _cfpb_rows(
        "04-03-2023,Mortgage,,Trouble,,,,BANK,NY,10001,,,Carrier pigeon,04-03-2023,"
        "In progress,Yes,N/A,6500002",
        "31-02-2023,Mortgage,,Trouble,,,,BANK,NY,10001,,,Web,01-03-2023,In progress,Yes,N/A,6500003",
    )

    result = import_file(bad, mapping=load_mapping(MAPPING))

    assert [line for line, _ in result.problems] == [4, 5]
    assert "'carrier_pigeon' is not a channel" in result.problems[0][1]
    assert "'31-02-2023' in received is not a date" in result.problems[1][1]
    assert Case.objects.count() == 0


def test_a_closed_row_uses_its_mapped_date_and_an_open_row_keeps_none(cfpb_services):
    import_file(_cfpb_rows(), mapping=load_mapping(MAPPING))

    closed = find_by_legacy_reference("6500001")
    still_open = find_by_legacy_reference("6896026")
    assert closed is not None and still_open is not None
    assert (closed.status, closed.channel) == ("closed", "letter")
    assert (
        closed.closed_at is not None
        and closed.closed_at.astimezone(LONDON).strftime("%d-%m") == "06-03"
    )
    assert "They wrote to me, twice" in closed.description
    assert closed.stage_records.get().outcome == "upheld"
    assert (still_open.status, still_open.closed_at) == ("received", None)


def test_a_file_without_a_column_the_mapping_names_is_refused_at_the_header(cfpb_services):
    text = _cfpb_rows().replace("Complaint_ID", "ID")

    result = import_file(text, mapping=load_mapping(MAPPING))

    assert result.problems == [
        (1, "The header row has no Complaint_ID column that the mapping names.")
    ]


def test_a_mapping_file_that_misses_a_required_field_or_names_an_unknown_one_is_refused(tmp_path):
    missing = tmp_path / "missing.toml"
    missing.write_text('[columns]\nreference = "ID"\nreceived = "Date"\n')
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"columns": {"reference": "ID", "colour": "Colour"}}')

    with pytest.raises(InvalidInput, match="does not say where kind, channel, customer_name"):
        load_mapping(missing)
    with pytest.raises(InvalidInput, match="'colour' is not one of Heard's fields"):
        load_mapping(unknown)


def test_the_command_takes_a_mapping_file(tmp_path, cfpb_services):
    path = tmp_path / "export.csv"
    path.write_text(_cfpb_rows())
    out = StringIO()

    call_command("import-legacy", str(path), "--mapping", str(MAPPING), stdout=out)
    call_command("import-legacy", str(path), "--mapping", str(MAPPING), stdout=out)

    assert "2 rows: 2 cases imported, 0 already imported before." in out.getvalue()
    assert "2 rows: 0 cases imported, 2 already imported before." in out.getvalue()
    with pytest.raises(CommandError, match="not valid TOML or JSON"):
        broken = tmp_path / "broken.toml"
        broken.write_text("[columns\n")
        call_command("import-legacy", str(path), "--mapping", str(broken), stdout=out)


def test_references_are_reserved_in_blocks_without_clashing_with_native_cases(cfpb_services):
    from heard.testing import make_case

    native = make_case()
    import_file(_cfpb_rows(), mapping=load_mapping(MAPPING))
    after = make_case()

    references = list(Case.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 4
    assert native.reference != after.reference


def test_the_background_job_imports_with_its_mapping_file(tmp_path, cfpb_services):
    from heard.channels.legacy import run_import
    from heard.channels.models import LegacyImport

    path = tmp_path / "export.csv"
    path.write_text(_cfpb_rows())
    run = LegacyImport.objects.create(path=str(path), mapping_path=str(MAPPING))

    assert run_import(run.pk).startswith("2 imported")
    run.refresh_from_db()
    assert (run.status, run.imported_rows) == ("imported", 2)


def test_the_background_job_reports_a_broken_mapping_file_instead_of_failing(tmp_path):
    from heard.channels.legacy import run_import
    from heard.channels.models import LegacyImport

    path = tmp_path / "export.csv"
    path.write_text(_cfpb_rows())
    broken = tmp_path / "broken.json"
    broken.write_text('{"columns": {"reference": "Complaint_ID"}}')
    run = LegacyImport.objects.create(path=str(path), mapping_path=str(broken))

    run_import(run.pk)

    run.refresh_from_db()
    assert run.status == "rejected"
    assert "does not say where kind" in run.errors[0]["message"]
    assert Case.objects.count() == 0
