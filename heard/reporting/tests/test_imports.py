"""Imports check every row, report the bad ones by line, import all or nothing, show progress."""

from django_tasks_db.models import DBTaskResult

from heard.org.models import Role
from heard.reporting import imports, services
from heard.reporting.models import Import, MysteryShopResult, TelephonyRecord
from heard.testing import make_staff

HEADER = "line,period,calls offered,calls answered,answered within threshold,abandoned\n"


def run(kind: str, text: str) -> Import:
    upload = Import.objects.create(kind=kind, filename="calls.csv", content=text)
    imports.run(upload.pk)
    upload.refresh_from_db()
    return upload


def test_a_telephony_file_with_a_bad_row_reports_it_and_imports_nothing(db):
    upload = run(
        Import.Kind.TELEPHONY,
        HEADER
        + "Main switchboard,2026-01,1000,950,800,50\n"
        + "Main switchboard,2026-02,1000,1200,800,50\n"
        + "Council tax,March,10,9,8,1\n"
        + "Council tax,2026-03,ten,9,8,1\n"
        + "Main switchboard,2026-01,5,5,5,0\n",
    )
    assert upload.status == Import.Status.REJECTED
    assert upload.imported_rows == 0
    assert TelephonyRecord.objects.count() == 0
    assert [e["line"] for e in upload.errors] == [3, 4, 5, 6]
    messages = [e["message"] for e in upload.errors]
    assert "More calls answered (1200) than offered (1000)." in messages[0]
    assert "is not a period" in messages[1]
    assert "whole number" in messages[2]
    assert "already on line 2" in messages[3]


def test_a_missing_column_is_reported_on_the_header_line(db):
    upload = run(Import.Kind.TELEPHONY, "line,period,offered\nMain,2026-01,5\n")
    assert upload.status == Import.Status.REJECTED
    assert upload.errors[0]["line"] == 1
    assert "calls answered" in upload.errors[0]["message"]


def test_an_empty_file_and_a_header_only_file_are_refused(db):
    upload = run(Import.Kind.TELEPHONY, HEADER)
    assert upload.status == Import.Status.REJECTED
    assert "no rows" in upload.errors[0]["message"]


def test_a_line_and_period_imported_again_is_replaced(db):
    run(Import.Kind.TELEPHONY, HEADER + "Main switchboard,2026-01,1000,950,800,50\n")
    second = run(Import.Kind.TELEPHONY, HEADER + "Main switchboard,2026-01,900,880,870,20\n")
    assert second.status == Import.Status.IMPORTED
    record = TelephonyRecord.objects.get()
    assert (record.offered, record.answered_within_threshold) == (900, 870)


def test_blank_lines_are_skipped_and_line_numbers_stay_true(db):
    upload = run(
        Import.Kind.MYSTERY_SHOPPING,
        "type,date,standard,met,notes\n\nvisit,2099-01-01,nope,maybe,\n",
    )
    assert upload.status == Import.Status.REJECTED
    assert upload.errors == [{"line": 3, "message": "The date date 2099-01-01 is in the future."}]
    assert MysteryShopResult.objects.count() == 0


def test_checking_reports_progress(db):
    seen = []
    rows = "".join(f"Line {n},2026-01,10,9,8,1\n" for n in range(450))
    checked = imports.check(
        Import.Kind.TELEPHONY, HEADER + rows, progress=lambda d, t: seen.append((d, t))
    )
    assert not checked.problems
    assert seen == [(200, 450), (400, 450), (450, 450)]


def test_an_import_already_finished_is_not_run_again(db):
    upload = run(Import.Kind.TELEPHONY, HEADER + "Main switchboard,2026-01,1000,950,800,50\n")
    assert imports.run(upload.pk) == Import.Status.IMPORTED
    assert TelephonyRecord.objects.count() == 1


def test_uploading_queues_the_import_on_the_durable_queue(db, django_capture_on_commit_callbacks):
    officer = make_staff(Role.PERFORMANCE_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.upload_import(
            by=officer,
            kind=Import.Kind.TELEPHONY,
            filename="calls.csv",
            raw=(HEADER + "Main switchboard,2026-01,1000,950,800,50\n").encode(),
        )
    assert upload.status == Import.Status.QUEUED
    assert upload.total_rows == 1
    job = DBTaskResult.objects.get()
    assert job.task_path == "heard.reporting.tasks.run_import"
    assert job.args_kwargs["args"] == [upload.pk]
