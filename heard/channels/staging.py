"""A scanned letter chosen before triage's "check for themes and related cases", kept until
the contact is recorded.

Browsers cannot fill a file input in again, so without this an officer who checked the
wording first had to choose the scan a second time. The scan is checked (size, kind by its
content) as it is kept, stored outside anything the web server serves under
``HEARD_DATA_DIR/triage-staging``, and named in the form only by a token signed for the officer
who chose it: nobody else's form can claim it. It is deleted once the contact is recorded, and
any left behind (a form abandoned after the check) by the background duties after
``KEEP_HOURS``.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from heard.channels.triage import check_scan
from heard.org import access
from heard.org.access import Permission

KEEP_HOURS = 24
SALT = "heard.channels.staging"


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "triage-staging"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def keep(upload: UploadedFile, *, by: Any) -> str:
    """Keep a checked scan for ``by``; the token their form carries to claim it."""
    access.require(by, Permission.ADD_ATTACHMENT)
    check_scan(upload)
    key = secrets.token_hex(16)
    folder = _folder()
    with (folder / f"{key}.scan").open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    name = PurePath(upload.name or "scan").name[:200]
    (folder / f"{key}.json").write_text(json.dumps({"name": name, "by": by.pk}))
    return signing.dumps({"key": key, "by": by.pk}, salt=SALT)


def _key(token: str, by: Any) -> str | None:
    try:
        claim = signing.loads(token, salt=SALT, max_age=KEEP_HOURS * 3600)
    except signing.BadSignature:
        return None
    if claim.get("by") != by.pk or not str(claim.get("key", "")).isalnum():
        return None
    return str(claim["key"])


def _kept(token: str, by: Any) -> tuple[str, str] | None:
    """The key and file name of the scan ``token`` names, if ``by`` may claim it and it is
    still kept."""
    key = _key(token, by)
    if key is None:
        return None
    try:
        return key, str(json.loads((_folder() / f"{key}.json").read_text())["name"])
    except (OSError, ValueError, KeyError):
        return None


def name_of(token: str, *, by: Any) -> str | None:
    """The file name of the scan ``token`` names, if ``by`` may claim it and it is still kept."""
    kept = _kept(token, by)
    return kept[1] if kept else None


def claim(token: str, *, by: Any) -> UploadedFile | None:
    """The kept scan as an upload, if ``by`` may claim it and it is still kept."""
    kept = _kept(token, by)
    if kept is None:
        return None
    key, name = kept
    try:
        content = (_folder() / f"{key}.scan").read_bytes()
    except OSError:
        return None
    return SimpleUploadedFile(name, content)


def discard(token: str, *, by: Any) -> None:
    """Delete the kept scan (once the contact is recorded with it, or another was chosen)."""
    key = _key(token, by)
    if key is not None:
        for suffix in (".scan", ".json"):
            (_folder() / f"{key}{suffix}").unlink(missing_ok=True)


def clear_old(*, now: float | None = None) -> int:
    """Delete scans kept longer than KEEP_HOURS (their forms were abandoned); how many went."""
    limit = (now if now is not None else time.time()) - KEEP_HOURS * 3600
    cleared = 0
    for path in _folder().glob("*.scan"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                path.with_suffix(".json").unlink(missing_ok=True)
                cleared += 1
        except OSError:
            continue
    return cleared
