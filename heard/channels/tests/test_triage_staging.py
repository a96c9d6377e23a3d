"""A scan chosen before triage's check for themes and related cases (or before a mistake
elsewhere in the form) is kept for the officer, so they need not choose it again."""

import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from heard.cases.models import Case
from heard.channels import staging
from heard.channels.tests import mail
from heard.channels.tests.test_triage_arrival import contact
from heard.org.models import Role
from heard.testing import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def scan(name: str = "letter.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, mail.png(), content_type="image/png")


def kept_token(page: str) -> str:
    found = re.search(r'name="staged_letter" value="([^"]+)"', page)
    assert found, "the page does not carry the kept scan"
    return found.group(1)


def kept_files(data_dir) -> list[str]:
    folder = data_dir / "triage-staging"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_scan_chosen_before_the_check_is_recorded_without_choosing_it_again(data_dir):
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    client = signed_in(officer)

    checked = client.post("/staff/triage", contact(letter=scan(), preview="1")).content.decode()
    assert "Kept from before: <strong>letter.png</strong>" in checked
    assert len(kept_files(data_dir)) == 2  # the scan and its name

    response = client.post("/staff/triage", contact(staged_letter=kept_token(checked)))

    assert response.status_code == 302
    case = Case.objects.get(subject="Missed bins, by letter")
    attachment = case.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("letter.png", "image/png")
    assert kept_files(data_dir) == []  # used, then deleted


def test_a_mistake_elsewhere_keeps_the_scan_chosen_with_it(data_dir):
    client = signed_in(make_staff(Role.FRONT_LINE_OFFICER))

    refused = client.post("/staff/triage", contact(name="", letter=scan("page-1.png")))

    page = refused.content.decode()
    assert refused.status_code == 200 and not Case.objects.exists()
    assert "Kept from before: <strong>page-1.png</strong>" in page
    client.post("/staff/triage", contact(staged_letter=kept_token(page)))
    assert Case.objects.get().attachments.get().original_name == "page-1.png"


def test_choosing_another_file_replaces_the_kept_one(data_dir):
    client = signed_in(make_staff(Role.FRONT_LINE_OFFICER))
    first = client.post("/staff/triage", contact(letter=scan("old.png"), preview="1"))
    token = kept_token(first.content.decode())

    second = client.post(
        "/staff/triage", contact(letter=scan("new.png"), staged_letter=token, preview="1")
    ).content.decode()

    assert "Kept from before: <strong>new.png</strong>" in second
    assert len(kept_files(data_dir)) == 2  # the old one is gone
    client.post("/staff/triage", contact(staged_letter=kept_token(second)))
    assert Case.objects.get().attachments.get().original_name == "new.png"


def test_another_officer_cannot_claim_a_kept_scan(data_dir):
    mine = signed_in(make_staff(Role.FRONT_LINE_OFFICER, username="officer-a"))
    token = kept_token(
        mine.post("/staff/triage", contact(letter=scan(), preview="1")).content.decode()
    )

    theirs = signed_in(make_staff(Role.FRONT_LINE_OFFICER, username="officer-b"))
    theirs.post("/staff/triage", contact(staged_letter=token))

    assert not Case.objects.get().attachments.exists()
    assert len(kept_files(data_dir)) == 2  # still the first officer's


def test_a_forged_token_names_nothing(data_dir):
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    assert staging.claim("../../etc/passwd", by=officer) is None
    assert staging.name_of("not-signed", by=officer) is None


def test_a_scan_refused_at_the_check_is_not_kept(data_dir):
    client = signed_in(make_staff(Role.FRONT_LINE_OFFICER))
    bad = SimpleUploadedFile("letter.exe", b"MZ\x90\x00" * 100, content_type="image/png")

    page = client.post("/staff/triage", contact(letter=bad, preview="1")).content.decode()

    assert "is not a scan we can keep" in page
    assert 'name="staged_letter"' not in page
    assert kept_files(data_dir) == []


def test_scans_of_abandoned_forms_are_deleted_after_a_day(data_dir):
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    old = staging.keep(scan("old.png"), by=officer)
    recent = staging.keep(scan("recent.png"), by=officer)
    day_ago = time.time() - staging.KEEP_HOURS * 3600 - 60
    for path in (data_dir / "triage-staging").glob("*"):
        if staging.name_of(old, by=officer) and path.stem in _keys(old, officer):
            os.utime(path, (day_ago, day_ago))

    assert staging.clear_old() == 1
    assert staging.name_of(old, by=officer) is None
    assert staging.name_of(recent, by=officer) == "recent.png"


def _keys(token: str, officer) -> set[str]:
    key = staging._key(token, officer)
    return {key} if key else set()
