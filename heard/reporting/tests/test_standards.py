"""The standards register, measured from case data and from imports."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from heard.org.calendars import organisation_calendar
from heard.reporting import imports, standards
from heard.reporting.figures import Scope
from heard.reporting.models import Import, Source, Standard
from heard.reporting.periods import parse
from heard.reporting.register import SHIPPED
from heard.reporting.tests.dataset import build

TODAY = date(2026, 11, 2)
CFPB = Path("/work/shared/data/cfpb-complaints-sample.csv")


def scope(key: str = "2026-Q1", **filters) -> Scope:
    return Scope(period=parse(key), calendar=organisation_calendar(), today=TODAY, **filters)


def import_text(kind: str, text: str) -> Import:
    upload = Import.objects.create(kind=kind, filename="test.csv", content=text)
    imports.run(upload.pk)
    upload.refresh_from_db()
    return upload


def test_the_migration_ships_seed_002s_standards(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("heard.reporting.migrations.0002_shipped_standards")
    Standard.objects.all().delete()  # as a transactional test elsewhere may have left it
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # running it again adds nothing
    assert Standard.objects.count() == len(SHIPPED)
    assert set(Standard.objects.values_list("code", flat=True)) >= {s["code"] for s in SHIPPED}
    letters = Standard.objects.get(code="letters-acknowledged-5wd")
    assert (letters.source, letters.threshold, letters.channel) == ("case_data", 5, "writing")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (95.0, "green"),
        (99.9, "green"),
        (94.9, "amber"),
        (90.0, "amber"),
        (89.9, "red"),
        (None, "none"),
    ],
)
def test_rag_against_a_95_percent_target(value, expected):
    assert standards.rag(value, Decimal("95.0")) == expected


def test_correspondence_standards_from_case_data(register, db):
    build()
    acknowledged, answered = standards.measure_all(
        scope(), [register["letters-acknowledged-5wd"], register["letters-answered-10wd"]]
    )
    # Letters and emails received: A (acknowledged late), B, G (never), E.
    assert (acknowledged.met, acknowledged.counted) == (2, 4)
    assert acknowledged.percent == 50.0
    assert acknowledged.rag == "red" and acknowledged.is_dip
    # Answered within 10 working days: A (9), E (2); B took 18; G never answered.
    assert (answered.met, answered.counted) == (2, 4)


def test_what_is_not_yet_due_is_not_counted(register, db):
    build()

    def on(day: date) -> Scope:
        return Scope(period=parse("2026-Q1"), calendar=organisation_calendar(), today=day)

    acknowledged, answered = register["letters-acknowledged-5wd"], register["letters-answered-10wd"]
    # G (never acknowledged) was due to be acknowledged by Monday 9 February: on that day it
    # is not yet late, and is left out; the day after it counts as missed.
    assert standards.measure(acknowledged, on(date(2026, 2, 9))) == (2, 3)
    assert standards.measure(acknowledged, on(date(2026, 2, 10))) == (2, 4)
    # G's answer was due by Monday 16 February.
    assert standards.measure(answered, on(date(2026, 2, 16))) == (2, 3)
    assert standards.measure(answered, on(date(2026, 2, 17))) == (2, 4)


def test_a_dip_explanation_is_shown_with_the_measurement(register, db):
    from heard.reporting.models import DipExplanation

    build()
    standard = register["letters-acknowledged-5wd"]
    DipExplanation.objects.create(
        standard=standard,
        period_key="2026-Q1",
        explanation="Staff sickness.",
        action="Cover arranged.",
    )
    (measurement,) = standards.measure_all(scope(), [standard])
    assert measurement.explanation is not None
    assert measurement.explanation.explanation == "Staff sickness."


def test_a_telephony_import_sets_the_main_lines_figure(register, db):
    standard = register["main-lines-15s"]
    assert standards.measure(standard, scope()) == (0, 0)
    upload = import_text(
        Import.Kind.TELEPHONY,
        "line,period,calls offered,calls answered,answered within threshold,abandoned\n"
        "Main switchboard,2026-01,1000,950,800,50\n"
        "Main switchboard,2026-02,1000,900,850,100\n"
        "Council tax,2026-Q1,500,480,400,20\n",
    )
    assert upload.status == Import.Status.IMPORTED
    assert upload.imported_rows == 3
    assert standards.measure(standard, scope()) == (2050, 2500)
    assert standards.measure(standard, scope("2026-01")) == (800, 1000)


def test_mystery_shopping_results_measure_their_standard(register, db):
    upload = import_text(
        Import.Kind.MYSTERY_SHOPPING,
        "type,date,standard,met,notes\n"
        "visit,2026-01-12,callers-greeted-promptly,yes,Greeted at once\n"
        "visit,13/01/2026,callers-greeted-promptly,no,Waited 10 minutes\n"
        "call,2026-02-02,other-phones-15s,yes,\n",
    )
    assert upload.status == Import.Status.IMPORTED, upload.errors
    assert standards.measure(register["callers-greeted-promptly"], scope()) == (1, 2)
    assert standards.measure(register["other-phones-15s"], scope()) == (1, 1)


def _cfpb_as_correspondence_sample() -> str:
    """The CFPB sample as a manager's correspondence sample: received, and sent on (acknowledged).

    Contains data from the US Consumer Financial Protection Bureau's Consumer Complaint Database
    (public domain), via /work/shared/data/cfpb-complaints-sample.csv.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "channel", "received", "acknowledged", "answered"])
    with CFPB.open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            writer.writerow(
                [
                    row["Complaint_ID"],
                    "letter" if row["Submitted_via"] == "Postal mail" else "email",
                    row["Date_received"].replace("-", "/"),
                    row["Date_sent_to_company"].replace("-", "/"),
                    "",
                ]
            )
    return out.getvalue()


@pytest.mark.skipif(not CFPB.exists(), reason="the shared public data is not on this machine")
def test_a_real_correspondence_sample_is_measured_as_a_row_by_row_count_would(register, db):
    standard = Standard.objects.create(
        code="sampled-ack",
        name="Sampled letters acknowledged within 2 working days",
        channel="writing",
        measure="acknowledged_within",
        threshold=2,
        target_percent=Decimal("90"),
        monitoring="Quarterly sampling",
        frequency="quarterly",
        source=Source.CORRESPONDENCE_SAMPLING,
    )
    text = _cfpb_as_correspondence_sample()
    upload = import_text(Import.Kind.CORRESPONDENCE_SAMPLING, text)
    assert upload.status == Import.Status.IMPORTED, upload.errors[:3]
    assert upload.imported_rows == 3999

    calendar = organisation_calendar()
    rows = list(csv.DictReader(io.StringIO(text)))
    expected_met = expected_counted = 0
    for row in rows:
        received = _day(row["received"])
        if not date(2023, 1, 1) <= received <= date(2023, 12, 31):
            continue
        expected_counted += 1
        expected_met += calendar.working_days_after(received, _day(row["acknowledged"])) <= 2
    assert standards.measure(standard, scope("2023")) == (expected_met, expected_counted)
    assert expected_counted == 3995


def test_the_raw_cfpb_export_is_rejected_whole_with_its_line_numbers(register, db):
    if not CFPB.exists():
        pytest.skip("the shared public data is not on this machine")
    raw = CFPB.read_text(encoding="utf-8")
    # Its own layout has none of our columns: the header is reported, nothing imported.
    upload = import_text(Import.Kind.CORRESPONDENCE_SAMPLING, raw)
    assert upload.status == Import.Status.REJECTED
    assert upload.errors[0]["line"] == 1
    assert "channel" in upload.errors[0]["message"]


def _day(text: str) -> date:
    d, m, y = text.split("/")
    return date(int(y), int(m), int(d))


def test_the_register_refuses_a_measure_its_source_cannot_give(db):
    from heard.reporting.admin import StandardForm

    form = StandardForm(
        data={
            "code": "calls",
            "name": "Calls answered",
            "channel": "phone",
            "measure": "acknowledged_within",
            "threshold": "",
            "target_percent": "80",
            "monitoring": "Telephony",
            "frequency": "quarterly",
            "source": "telephony",
            "position": 1,
            "active": True,
        }
    )
    assert not form.is_valid()
    assert "Telephony call logs (import) can measure only: calls answered within n seconds." in str(
        form.errors
    )


def test_call_backs_are_measured_from_the_calls_logged_in_heard(db):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from heard.channels import phone
    from heard.org.models import Role
    from heard.testing import make_staff

    officer = make_staff(Role.FRONT_LINE_OFFICER)
    london = ZoneInfo("Europe/London")

    def call(day: int, *, voicemail: bool = False, promised: bool = False, back_after=None):
        started = datetime(2026, 2, day, 10, 0, tzinfo=london)
        logged = phone.log_call(
            by=officer,
            line="Waste",
            started_at=started,
            voicemail=voicemail,
            call_back_promised=promised,
            answered=not voicemail,
        )
        if back_after is not None:
            phone.record_call_back(logged, by=officer, at=started + back_after)
        return logged

    call(2, voicemail=True, back_after=timedelta(hours=3))  # Monday: back the same day
    call(3, promised=True, back_after=timedelta(hours=30))  # Tuesday: by Wednesday's end
    call(5, voicemail=True, back_after=timedelta(days=4))  # Thursday: back on Monday, late
    call(6, voicemail=True)  # Friday: never called back, long overdue
    call(9)  # answered, nothing owed: not counted
    call(10, voicemail=True, back_after=timedelta(hours=1))  # the next Tuesday: in time

    standard = Standard.objects.get(code="call-backs-next-working-day")
    assert standard.source == Source.CALL_RECORDS
    february = Scope(period=parse("2026-02"), calendar=organisation_calendar(), today=TODAY)
    assert standards.measure(standard, february) == (3, 5)  # 2nd, 3rd, 10th of 5 owed
    assert standards.measure(standard, scope("2026-03")) == (0, 0)
