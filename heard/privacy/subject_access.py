"""Subject access: everything Heard holds about one person, as a zip file made in the background.

The zip holds ``data.json`` (every row, by kind), ``files/`` (the attachments) and
``index.html`` (the same, readable by a person). It is kept outside anything the web server
serves, can be downloaded only by whoever asked for it, and is deleted after
``HEARD_SUBJECT_ACCESS_DAYS`` days.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone

from heard.core.errors import InvalidInput, NotFound
from heard.privacy import access
from heard.privacy.audit import reads_about
from heard.privacy.models import ExportStatus, SubjectAccessExport
from heard.privacy.people import find_customer, holdings_of

# Fields that are Heard's own secrets, not information about the person.
WITHHELD = {"cases.Attachment": {"upload_token", "file"}, "channels.Open311Request": {"token"}}


def export_dir() -> Path:
    path = Path(settings.HEARD_SUBJECT_ACCESS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic(durable=True)
def request_export(*, by: Any, customer: str) -> SubjectAccessExport:
    """Queue a subject access export for the person a customer number or email address names."""
    access.require_information_governance(by)
    person = find_customer(customer)
    export = SubjectAccessExport.objects.create(
        customer=person, customer_number=person.pk, requested_by=by
    )
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from heard.privacy.tasks import build_subject_access_export

    build_subject_access_export.enqueue(export_id)


def build(export_id: int, *, now: datetime | None = None) -> str:
    """Gather everything about the person and write the zip (safe to run again after a crash)."""
    export = SubjectAccessExport.objects.filter(pk=export_id).first()
    if export is None or export.status in (ExportStatus.READY, ExportStatus.EXPIRED):
        return "nothing to do"
    if export.customer is None:
        _fail(export, "The customer record no longer exists. Nothing was exported.")
        return "failed"
    SubjectAccessExport.objects.filter(pk=export.pk).update(status=ExportStatus.BUILDING)
    try:
        name, size, counts = _write_zip(export)
    except Exception as error:
        _fail(export, f"The export could not be prepared ({error}). Ask for it again.")
        raise
    now = now or timezone.now()
    SubjectAccessExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.READY,
        file_name=name,
        size=size,
        counts=counts,
        error="",
        ready_at=now,
        expires_at=now + timedelta(days=settings.HEARD_SUBJECT_ACCESS_DAYS),
    )
    return f"ready: {size} bytes"


def _fail(export: SubjectAccessExport, message: str) -> None:
    SubjectAccessExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.FAILED, error=message
    )


def _write_zip(export: SubjectAccessExport) -> tuple[str, int, dict[str, int]]:
    assert export.customer is not None
    held = holdings_of(export.customer)
    reads = list(reads_about(held.customer_ids, held.case_ids))
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "customer_numbers": held.customer_ids,
        "customers": [_row(c) for c in held.customers],
        "cases": [_row(c) for c in held.cases],
    }
    for label, rows in held.related.items():
        data[label] = [_row(r, withheld=WITHHELD.get(label, set())) for r in rows]
    data["privacy.PersonalDataRead"] = [_row(r) for r in reads]
    counts = {
        "customers": len(held.customers),
        "cases": len(held.cases),
        **{label: len(rows) for label, rows in held.related.items()},
        "reads": len(reads),
    }

    files: list[dict[str, Any]] = []
    name = f"subject-access-{export.pk}-{secrets.token_hex(8)}.zip"
    directory = export_dir()
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for attachment in held.related.get("cases.Attachment", []):
                entry = f"files/{attachment.pk}-{Path(attachment.original_name).name or 'file'}"
                try:
                    with attachment.file.open("rb") as source:
                        archive.writestr(entry, source.read())
                    files.append({"attachment": attachment.pk, "path": entry, "missing": False})
                except (FileNotFoundError, ValueError, OSError):
                    files.append({"attachment": attachment.pk, "path": "", "missing": True})
            data["files"] = files
            archive.writestr(
                "data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            )
            archive.writestr("index.html", _index(export, held, reads, files))
        os.replace(temporary, directory / name)
    finally:
        Path(temporary).unlink(missing_ok=True)
    counts["files"] = sum(1 for f in files if not f["missing"])
    return name, (directory / name).stat().st_size, counts


def _row(obj: Model, *, withheld: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.name not in withheld and field.attname not in withheld
    }


def _index(export: SubjectAccessExport, held: Any, reads: list[Any], files: list[Any]) -> str:
    related = held.related
    by_case: dict[int, dict[str, list[Any]]] = {c.pk: {} for c in held.cases}
    for label, key in (
        ("cases.StageRecord", "stages"),
        ("cases.CaseEvent", "events"),
        ("cases.CaseNote", "notes"),
        ("cases.Attachment", "attachments"),
        ("notify.Message", "messages"),
        ("correspondence.Letter", "letters"),
    ):
        for row in related.get(label, []):
            by_case.setdefault(row.case_id, {}).setdefault(key, []).append(row)
    return render_to_string(
        "privacy/export_index.html",
        {
            "export": export,
            "customers": held.customers,
            "cases": [(case, by_case.get(case.pk, {})) for case in held.cases],
            "restrictions": related.get("cases.CustomerRestriction", []),
            "reads": reads,
            "generated_at": timezone.now(),
        },
    )


def open_for_download(*, by: Any, export_id: int, now: datetime | None = None) -> Path:
    """The zip, for the person who asked for it only, while it has not expired."""
    access.require_information_governance(by)
    export = SubjectAccessExport.objects.filter(pk=export_id, requested_by=by).first()
    if export is None:
        raise NotFound(
            "There is no such export that you asked for. Only the person who asked for an "
            "export may download it."
        )
    now = now or timezone.now()
    if export.status == ExportStatus.EXPIRED or (export.expires_at and export.expires_at <= now):
        raise InvalidInput(
            "This export has expired and its file was deleted. Ask for a new export."
        )
    if export.status != ExportStatus.READY:
        raise InvalidInput(
            "This export is not ready yet. Refresh this page in a minute; if it failed, ask "
            "for a new export."
        )
    path = export_dir() / export.file_name
    if not path.exists():
        raise NotFound("The export's file is missing. Ask for a new export.")
    SubjectAccessExport.objects.filter(pk=export.pk).update(downloaded_at=now)
    return path


def remove_expired(now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry; returns how many."""
    now = now or timezone.now()
    removed = 0
    for export in SubjectAccessExport.objects.filter(
        status=ExportStatus.READY, expires_at__lte=now
    ):
        if export.file_name:
            (export_dir() / export.file_name).unlink(missing_ok=True)
        SubjectAccessExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.EXPIRED, file_name=""
        )
        removed += 1
    return removed


def exports_for(user: Any) -> list[SubjectAccessExport]:
    return list(SubjectAccessExport.objects.filter(requested_by=user)[:50])
