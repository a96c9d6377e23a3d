"""The documented backup and restore (deploy/backup.sh, deploy/restore.sh: pg_dump -Fc and a
tar of the attachments) run on a populated instance, restored into a fresh database and data
directory, where every case, message, attachment (with its file) and audit entry is found."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from heard.cases.attachments import take_in
from heard.cases.models import Attachment, Case, CaseEvent
from heard.notify.models import Message
from heard.notify.services import queue_message
from heard.org.models import Role
from heard.privacy.models import PersonalDataRead
from heard.testing import api_client, make_case, make_staff

ROOT = Path(__file__).resolve().parents[3]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backup and restore use pg_dump and pg_restore: run with DATABASE_URL=postgres://…",
)


def server_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


def rows(url: str, sql: str) -> set[tuple]:
    with psycopg.connect(url) as db:
        return set(db.execute(sql).fetchall())


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_has_every_record_and_file(tmp_path):
    officer = make_staff(Role.COMPLAINTS_TEAM, username="backup-officer")
    cases = [make_case(subject=f"Backup case {n}", customer_name=f"Customer {n}") for n in range(3)]
    for n, case in enumerate(cases):
        queue_message(
            key=f"late:{case.pk}:backup",
            template_key="late_notice",
            recipient=f"customer{n}@example.org",
            case=case,
            context={
                "reference": case.reference,
                "customer_name": f"Customer {n}",
                "organisation": "Ashdown",
            },
        )
        content = PNG + f"case {n}".encode()
        take_in(SimpleUploadedFile(f"photo-{n}.png", content), case=case)
        # A staff read through the API: an entry in the audit of reads.
        assert api_client(officer).get(f"/api/v1/cases/{case.reference}").status_code == 200
    assert PersonalDataRead.objects.count() >= 3
    assert Attachment.objects.count() == 3

    backups = tmp_path / "backups"
    source_url = f"{server_url()}/{connection.settings_dict['NAME']}"
    made = subprocess.run(  # noqa: S603
        ["/bin/sh", ROOT / "deploy" / "backup.sh", backups],
        env={
            **os.environ,
            "DATABASE_URL": source_url,
            "HEARD_DATA_DIR": str(settings.DATA_DIR),
            "HEARD_ATTACHMENTS_DIR": str(settings.HEARD_ATTACHMENTS_DIR),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    dump, files = (Path(line) for line in made.stdout.split())
    assert dump.suffix == ".dump" and files.name.endswith("-files.tar.gz")

    fresh = f"heard_restore_{uuid.uuid4().hex[:8]}"
    restored_dir = tmp_path / "restored"
    with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    restored_url = f"{server_url()}/{fresh}"
    try:
        done = subprocess.run(  # noqa: S603
            ["/bin/sh", ROOT / "deploy" / "restore.sh", dump, files],
            env={**os.environ, "DATABASE_URL": restored_url, "HEARD_DATA_DIR": str(restored_dir)},
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr

        def same(model, columns: str) -> None:
            sql = f"SELECT {columns} FROM {model._meta.db_table}"  # noqa: S608
            expected = rows(source_url, sql)
            assert expected, model
            assert rows(restored_url, sql) == expected, model.__name__

        same(Case, "id, reference, subject")
        same(Message, "id, idempotency_key, recipient, status")
        same(Attachment, "id, case_id, file, sha256")
        same(CaseEvent, "id, case_id, action")
        same(PersonalDataRead, "id, case_id, case_reference, username")

        files_sql = f"SELECT file, sha256 FROM {Attachment._meta.db_table}"  # noqa: S608
        for name, digest in rows(restored_url, files_sql):
            kept = restored_dir / "attachments" / name
            assert hashlib.sha256(kept.read_bytes()).hexdigest() == digest, name
        assert (restored_dir / "secret_key").read_text() == (
            Path(settings.DATA_DIR) / "secret_key"
        ).read_text()

        # The restored copy is complete for the code that made it: nothing left to migrate.
        check = subprocess.run(  # noqa: S603
            [Path(sys.executable).with_name("heard"), "migrate", "--check"],
            env={**os.environ, "DATABASE_URL": restored_url, "HEARD_DATA_DIR": str(restored_dir)},
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
