"""Phone and voicemail: call backs owed within 24 hours or the next working day, and measured."""

from datetime import UTC, date, datetime

import pytest

from heard.channels.models import CallRecord
from heard.channels.phone import (
    call_back_due,
    call_back_performance,
    import_calls,
    log_call,
    record_call_back,
)
from heard.core.errors import InvalidInput, NotPermitted
from heard.org.models import Role
from heard.testing import make_case, make_staff

pytestmark = pytest.mark.django_db
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # 10:00 GMT
FRIDAY_18 = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)


def test_a_call_back_is_due_by_the_end_of_the_next_working_day_or_24_hours_if_later():
    assert call_back_due(MONDAY_10) == datetime(2026, 3, 3, 23, 59, 59, tzinfo=UTC)
    # Friday evening: Monday, not Saturday.
    assert call_back_due(FRIDAY_18) == datetime(2026, 3, 9, 23, 59, 59, tzinfo=UTC)
    # Saturday: Monday.
    assert call_back_due(datetime(2026, 3, 7, 11, 0, tzinfo=UTC)).date() == date(2026, 3, 9)
    # Thursday before Good Friday 2026 (3 April) and Easter Monday: due on Tuesday 7 April.
    assert call_back_due(datetime(2026, 4, 2, 12, 0, tzinfo=UTC)).date() == date(2026, 4, 7)


def test_an_officer_logs_a_voicemail_against_a_case_and_it_is_owed_a_call_back():
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    case = make_case()

    call = log_call(
        by=officer,
        line="Main switchboard",
        caller_number="01632 960001",
        started_at=MONDAY_10,
        answered=False,
        voicemail=True,
        case=case,
    )

    assert call.call_back_by == call_back_due(MONDAY_10)
    assert call.case == case
    record_call_back(call, by=officer, at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    assert call.call_back_met is True


def test_a_promise_to_call_back_is_owed_too_but_an_ordinary_answered_call_is_not():
    officer = make_staff(Role.FRONT_LINE_OFFICER)

    promised = log_call(by=officer, line="Waste", started_at=MONDAY_10, call_back_promised=True)
    ordinary = log_call(
        by=officer, line="Waste", started_at=FRIDAY_18, outcome="Told about bin day"
    )

    assert promised.call_back_by is not None
    assert ordinary.call_back_by is None


def test_logging_a_call_says_what_is_wrong():
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    with pytest.raises(InvalidInput, match="which line"):
        log_call(by=officer, line=" ", started_at=MONDAY_10)
    with pytest.raises(InvalidInput, match="time zone"):
        log_call(by=officer, line="Main", started_at=datetime(2026, 3, 2, 10, 0))
    with pytest.raises(NotPermitted):
        log_call(by=make_staff(Role.EQUALITY_OFFICER), line="Main", started_at=MONDAY_10)


CSV = """Line,Caller number,Started,Duration seconds,Answered,Voicemail,Called back
Main switchboard,01632 960001,2026-03-02 10:00,0,no,yes,2026-03-03 09:00
Main switchboard,01632 960002,02/03/2026 11:30,45,no,yes,2026-03-05 16:00
Main switchboard,01632 960003,2026-03-02 12:00,130,yes,no,
Main switchboard,01632 960004,2026-03-06 18:00,0,no,yes,
"""


def test_imported_voicemails_make_the_call_back_standard_measurable():
    result = import_calls(CSV)

    assert (result.rows, result.added, result.problems) == (4, 4, [])
    performance = call_back_performance(
        date(2026, 3, 1), date(2026, 3, 31), now=datetime(2026, 3, 12, tzinfo=UTC)
    )
    assert (performance.owed, performance.met, performance.missed) == (3, 1, 2)
    assert performance.percent_met == 33.3
    before_due = call_back_performance(
        date(2026, 3, 1), date(2026, 3, 31), now=datetime(2026, 3, 7, tzinfo=UTC)
    )
    assert before_due.outstanding == 1


def test_importing_the_same_file_again_adds_nothing_and_updates_call_backs():
    import_calls(CSV)
    later = CSV.replace("2026-03-06 18:00,0,no,yes,", "2026-03-06 18:00,0,no,yes,2026-03-09 10:00")

    result = import_calls(later)

    assert (result.added, result.updated) == (0, 1)
    assert CallRecord.objects.count() == 4


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_line():
    bad = (
        CSV
        + "Main switchboard,01632 960005,yesterday,0,no,yes,\nMain,1,2026-03-02 10:00,x,no,yes,\n"
    )

    result = import_calls(bad)

    assert [line for line, _ in result.problems] == [6, 7]
    assert "'yesterday' in started is not a date and time" in result.problems[0][1]
    assert "whole number of seconds" in result.problems[1][1]
    assert CallRecord.objects.count() == 0


def test_a_file_without_the_columns_says_which_are_missing():
    result = import_calls("line,started\nMain,2026-03-02 10:00\n")

    assert "no caller_number, duration_seconds, answered, voicemail column" in result.problems[0][1]


def test_the_import_command_runs_dry(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "calls.csv"
    path.write_text(CSV)
    out = StringIO()
    call_command("import-calls", str(path), "--dry-run", stdout=out)

    assert "4 rows checked" in out.getvalue()
    assert CallRecord.objects.count() == 0
