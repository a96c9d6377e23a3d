"""An administrator imports old cases from the admin: the upload is queued, the worker runs it,
and the run's page shows its progress, its result and every row to correct."""

import csv
import io
import os
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from heard.cases.models import Case, Kind
from heard.channels import legacy
from heard.channels.legacy import find_by_legacy_reference
from heard.channels.models import LegacyCase, LegacyImport
from heard.channels.tests.test_legacy import CSV
from heard.channels.tests.test_legacy_mapping import EXPORT, MAPPING, _cfpb_rows
from heard.org.models import Role
from heard.testing import make_service, make_staff

pytestmark = pytest.mark.django_db

ADD = "/admin/channels/legacyimport/add/"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def admin_client():
    superuser = get_user_model().objects.create_superuser(
        "root", "root@example.org", "not-a-real-password-1"
    )
    client = Client()
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def cfpb_services(db):
    for slug in ("credit-reporting", "debt-collection", "banking", "lending"):
        make_service(slug)


def upload(client, capture, text, *, name="old.csv", mapping=None, dry_run=False):
    data: dict[str, Any] = {
        "file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    }
    if mapping is not None:
        data["mapping_file"] = SimpleUploadedFile(mapping[0], mapping[1].encode())
    if dry_run:
        data["dry_run"] = "on"
    with capture(execute=True):
        return client.post(ADD, data)


def run_the_worker() -> int:
    """What `heard worker` does with each job waiting on the queue (in this test's transaction)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    jobs = list(DBTaskResult.objects.ready())
    for job in jobs:
        job.claim("test")
        worker.run_task(job)
    return len(jobs)


def page_of(client, run: LegacyImport) -> str:
    response = client.get(f"/admin/channels/legacyimport/{run.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_upload_page_is_called_import_cases_from_a_file(admin_client):
    page = admin_client.get(ADD).content.decode()

    assert "Import cases from a file" in page
    assert 'name="file"' in page and 'name="mapping_file"' in page and 'name="dry_run"' in page


def test_a_good_file_is_queued_then_imported_by_the_worker_and_shown_done(
    admin_client, django_capture_on_commit_callbacks, service, data_dir
):
    response = upload(admin_client, django_capture_on_commit_callbacks, CSV)

    assert response.status_code == 302
    run = LegacyImport.objects.get()
    assert (run.status, run.filename, run.total_rows, run.dry_run) == (
        "queued",
        "old.csv",
        3,
        False,
    )
    assert run.uploaded_by is not None and run.uploaded_by.username == "root"
    job = DBTaskResult.objects.get()
    assert job.task_path == "heard.channels.tasks.import_legacy"
    assert job.args_kwargs["args"] == [run.pk]
    # Kept in the data directory, readable by Heard alone, not under the web root.
    stored = Path(run.path)
    assert stored.parent == data_dir / "legacy-imports"
    assert stored.read_text(encoding="utf-8") == CSV
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert Case.objects.count() == 0

    assert run_the_worker() == 1

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    run.refresh_from_db()
    assert (run.status, run.processed_rows, run.total_rows) == ("imported", 3, 3)
    assert (run.imported_rows, run.skipped_rows, run.errors) == (3, 0, [])
    assert run.finished_at is not None
    assert Case.objects.count() == 3
    ann = find_by_legacy_reference("OLD-1001")
    assert ann is not None and ann.service == service
    page = page_of(admin_client, run)
    assert "3 cases imported, 0 already imported before." in page
    assert "3 of 3" in page
    assert 'http-equiv="refresh"' not in page  # finished: nothing left to follow
    listing = admin_client.get("/admin/channels/legacyimport/").content.decode()
    assert "old.csv" in listing and "3 cases imported" in listing


def test_a_run_still_going_shows_its_progress_and_refreshes_itself(
    admin_client, django_capture_on_commit_callbacks, service
):
    upload(admin_client, django_capture_on_commit_callbacks, CSV)
    run = LegacyImport.objects.get()

    page = page_of(admin_client, run)

    assert "Waiting to start" in page and "0 of 3" in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_a_file_with_a_bad_row_imports_nothing_and_its_page_names_the_row(
    admin_client, django_capture_on_commit_callbacks, service
):
    bad = CSV + "OLD-1004,grumble,email,2025-02-06,,,,,,Dan,,,,Noise,,\n"

    upload(admin_client, django_capture_on_commit_callbacks, bad)
    run_the_worker()

    run = LegacyImport.objects.get()
    assert run.status == "rejected"
    assert run.errors == [
        {
            "line": 5,
            "message": "'grumble' is not a kind Heard knows. Use one of: "
            + ", ".join(Kind.values)
            + " (or map it in the mapping file).",
        }
    ]
    assert Case.objects.count() == LegacyCase.objects.count() == 0
    page = page_of(admin_client, run)
    assert "Nothing imported: 1 row to correct" in page
    assert "<tr><td>5</td><td>&#x27;grumble&#x27; is not a kind Heard knows." in page
    assert "Correct these rows in the file and upload it again." in page


def test_a_dry_run_checks_every_row_and_imports_nothing(
    admin_client, django_capture_on_commit_callbacks, service
):
    upload(admin_client, django_capture_on_commit_callbacks, CSV, dry_run=True)
    run_the_worker()

    run = LegacyImport.objects.get()
    assert (run.dry_run, run.status, run.total_rows) == (True, "checked", 3)
    assert Case.objects.count() == 0
    assert "3 rows checked; all good. Nothing imported." in page_of(admin_client, run)


def test_the_same_file_uploaded_again_creates_nothing_new(
    admin_client, django_capture_on_commit_callbacks, service
):
    upload(admin_client, django_capture_on_commit_callbacks, CSV)
    run_the_worker()
    upload(admin_client, django_capture_on_commit_callbacks, CSV)
    run_the_worker()

    second = LegacyImport.objects.order_by("pk").last()
    assert second is not None
    assert (second.status, second.imported_rows, second.skipped_rows) == ("imported", 0, 3)
    assert Case.objects.count() == 3


def test_a_finished_run_is_not_run_again_when_its_job_comes_back(
    admin_client, django_capture_on_commit_callbacks, service
):
    upload(admin_client, django_capture_on_commit_callbacks, CSV)
    run_the_worker()
    run = LegacyImport.objects.get()

    assert legacy.run_import(run.pk).startswith("already finished")

    run.refresh_from_db()
    assert (run.imported_rows, run.skipped_rows) == (3, 0)


def test_the_cfpb_export_imports_through_its_mapping_file_from_the_admin(
    admin_client, django_capture_on_commit_callbacks, cfpb_services
):
    # A slice of the shared sample (quoted narratives span lines, so sliced by record).
    if EXPORT.is_file():
        records = list(csv.reader(io.StringIO(EXPORT.read_text(encoding="utf-8-sig"))))[:301]
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(records)
        text, expected = out.getvalue(), 300
    else:
        text, expected = _cfpb_rows(), 2

    upload(
        admin_client,
        django_capture_on_commit_callbacks,
        text,
        name="cfpb.csv",
        mapping=("cfpb.toml", MAPPING.read_text(encoding="utf-8")),
    )
    run = LegacyImport.objects.get()
    assert run.mapping_path.endswith("-mapping.toml")
    assert Path(run.mapping_path).read_text(encoding="utf-8") == MAPPING.read_text(encoding="utf-8")
    assert run.total_rows == expected
    run_the_worker()

    run.refresh_from_db()
    assert (run.status, run.errors) == ("imported", [])
    assert run.imported_rows == run.processed_rows == run.total_rows == expected
    assert Case.objects.count() == expected
    first = find_by_legacy_reference("6896026")
    assert first is not None and first.service is not None
    assert first.service.slug == "credit-reporting"
    assert "Company: EQUIFAX, INC." in first.description
    assert f"{expected} cases imported" in page_of(admin_client, run)
    assert not Path(run.path).exists() and not Path(run.mapping_path).exists()


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (("broken.toml", "[columns\n"), "is not valid TOML or JSON"),
        (
            ("short.json", '{"columns": {"reference": "Complaint_ID"}}'),
            "does not say where kind, channel, received, customer_name, subject come(s) from",
        ),
        (("mapping.txt", "reference = 'ID'"), "must be TOML (.toml) or JSON (.json)"),
    ],
)
def test_a_mapping_file_heard_cannot_use_is_refused_on_upload_saying_why(
    admin_client, django_capture_on_commit_callbacks, mapping, message
):
    response = upload(
        admin_client, django_capture_on_commit_callbacks, _cfpb_rows(), mapping=mapping
    )

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert LegacyImport.objects.count() == DBTaskResult.objects.count() == 0


def test_a_file_too_large_or_empty_is_refused_on_upload(
    admin_client, django_capture_on_commit_callbacks, monkeypatch, data_dir
):
    monkeypatch.setattr(legacy, "MAX_UPLOAD_BYTES", 100)

    too_big = upload(admin_client, django_capture_on_commit_callbacks, CSV)
    empty = upload(admin_client, django_capture_on_commit_callbacks, "  \n")

    assert "larger than" in too_big.content.decode()
    assert "The file is empty." in empty.content.decode()
    assert LegacyImport.objects.count() == DBTaskResult.objects.count() == 0
    assert not (data_dir / "legacy-imports").exists() or not any(
        (data_dir / "legacy-imports").iterdir()
    )


def test_a_run_cannot_be_changed_once_queued(
    admin_client, django_capture_on_commit_callbacks, service
):
    upload(admin_client, django_capture_on_commit_callbacks, CSV)
    run = LegacyImport.objects.get()

    page = page_of(admin_client, run)
    admin_client.post(f"/admin/channels/legacyimport/{run.pk}/change/", {"dry_run": "on"})

    assert 'name="_save"' not in page
    run.refresh_from_db()
    assert run.dry_run is False


@pytest.mark.parametrize(
    ("who", "refused"),
    [("public", 302), (Role.COMPLAINTS_TEAM, 302), (Role.ADMINISTRATOR, 403)],
)
def test_no_one_without_the_admin_permission_reaches_the_page(
    who, refused, django_capture_on_commit_callbacks, service
):
    client = Client()
    if who != "public":
        # An administrator is staff in the admin, but imports only when given the permission.
        user = make_staff(who, services=[service])
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    looked = client.get(ADD)
    posted = upload(client, django_capture_on_commit_callbacks, CSV)

    assert looked.status_code == posted.status_code == refused
    if refused == 302:
        assert looked["Location"].startswith("/admin/login/")
    assert LegacyImport.objects.count() == DBTaskResult.objects.count() == 0


def test_an_administrator_given_the_permission_may_import(
    django_capture_on_commit_callbacks, service
):
    user = make_staff(Role.ADMINISTRATOR, services=[service])
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="channels",
            codename__in=["add_legacyimport", "view_legacyimport"],
        )
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    response = upload(client, django_capture_on_commit_callbacks, CSV)
    run_the_worker()

    assert response.status_code == 302
    run = LegacyImport.objects.get()
    assert (run.status, run.uploaded_by) == ("imported", user)
    assert "3 cases imported" in page_of(client, run)


def test_import_cases_is_another_name_for_import_legacy(tmp_path, service):
    path = tmp_path / "old.csv"
    path.write_text(CSV)
    out = StringIO()

    call_command("import-cases", str(path), "--dry-run", stdout=out)

    assert "3 rows checked; all good. Nothing imported (dry run)." in out.getvalue()
    assert Case.objects.count() == 0


def test_heard_import_cases_help_works_from_the_command_line(tmp_path):
    shown = subprocess.run(  # noqa: S603
        [Path(sys.executable).with_name("heard"), "import-cases", "--help"],
        env={**os.environ, "HEARD_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert shown.returncode == 0, shown.stderr[-2000:]
    assert "import-cases" in shown.stdout
    assert "Import historic cases from a CSV file" in shown.stdout
    assert "--mapping" in shown.stdout and "--dry-run" in shown.stdout


def test_the_uploaded_file_and_mapping_are_deleted_once_the_run_has_finished(
    admin_client, django_capture_on_commit_callbacks, service
):
    """The export holds customers' personal data; nothing needs it after the run."""
    upload(admin_client, django_capture_on_commit_callbacks, CSV)
    run = LegacyImport.objects.get()
    kept = Path(run.path)
    assert kept.exists()
    run_the_worker()

    run.refresh_from_db()
    assert (run.status, run.imported_rows) == ("imported", 3)
    assert not kept.exists()
