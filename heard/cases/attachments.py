"""Taking in attachments safely: size and count limits, type checked by content, stored apart."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from heard.cases.models import Attachment, Case
from heard.core.errors import InvalidInput

ALLOWED = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
}
ALLOWED_WORDS = "photos (JPG, PNG, GIF, WebP, HEIC), PDF, Word (DOCX) or OpenDocument (ODT) files"


def new_upload_token() -> str:
    return secrets.token_urlsafe(24)


def take_in(
    upload: UploadedFile,
    *,
    upload_token: str = "",
    case: Case | None = None,
    limit: int | None = None,
) -> Attachment:
    """Check one uploaded file and keep it; InvalidInput, with a message to act on, if refused."""
    name = PurePath(upload.name or "file").name[:200]
    if upload.size is not None and upload.size > settings.HEARD_ATTACHMENT_MAX_BYTES:
        limit = settings.HEARD_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise InvalidInput(
            f"{name} is larger than {limit} MB. Send a smaller file.", field="attachments"
        )
    if upload.size == 0:
        raise InvalidInput(f"{name} is empty.", field="attachments")
    pending = (
        Attachment.objects.filter(upload_token=upload_token)
        if upload_token
        else Attachment.objects.none()
    )
    existing = case.attachments.count() if case else pending.count()
    limit = limit or settings.HEARD_ATTACHMENTS_PER_CONTACT
    if existing >= limit:
        raise InvalidInput(
            f"You can send up to {limit} files.",
            field="attachments",
        )
    content = upload.read(settings.HEARD_ATTACHMENT_MAX_BYTES + 1)
    if len(content) > settings.HEARD_ATTACHMENT_MAX_BYTES:
        raise InvalidInput(f"{name} is too large.", field="attachments")
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED:
        raise InvalidInput(
            f"{name} is not a file we can accept. Send {ALLOWED_WORDS}.", field="attachments"
        )
    digest = hashlib.sha256(content).hexdigest()
    stored_name = (
        f"{secrets.token_hex(16)}.{ALLOWED[kind.mime]}"  # never the customer's own name on disk
    )
    attachment = Attachment(
        case=case,
        upload_token=upload_token,
        original_name=name,
        content_type=kind.mime,
        size=len(content),
        sha256=digest,
    )
    attachment.file.save(stored_name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def link_pending(upload_token: str, case: Case) -> int:
    """Give the files uploaded during a public submission to the case it became."""
    if not upload_token:
        return 0
    return Attachment.objects.filter(upload_token=upload_token, case__isnull=True).update(
        case=case, upload_token=""
    )
