"""Photos and documents: limited in size and number, checked by content, kept out of the web root."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heard.cases.models import Attachment, Case
from heard.org.models import Role
from heard.portal.tests.test_journeys import fill_in
from heard.testing import api_client, make_service, make_staff

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, *files, subject="Broken street light"):
    client.post("/tell-us/kind", {"kind": "service_request"})
    return client.post(
        "/tell-us/details",
        {"subject": subject, "what_happened": "Out for two weeks.", "attachments": list(files)},
    )


@pytest.mark.django_db
def test_photos_and_documents_travel_with_the_case_and_staff_can_download_them(client):
    waste = make_service("highways", "Highways")
    response = upload(
        client, SimpleUploadedFile("light.png", PNG), SimpleUploadedFile("letter.pdf", PDF)
    )
    assert response.status_code == 302
    fill_in(client, kind="service_request", details={"service": str(waste.pk)})
    assert b"light.png" in client.get("/tell-us/check").content
    client.post("/tell-us/check")
    case = Case.objects.get()
    files = list(case.attachments.order_by("original_name"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("letter.pdf", "application/pdf"),
        ("light.png", "image/png"),
    ]
    stored = files[1].file.name
    assert "light" not in stored  # never the customer's file name on disk
    assert client.get(f"/media/{stored}").status_code == 404
    assert client.get(f"/static/{stored}").status_code == 404

    staff = api_client(make_staff(Role.COMPLAINTS_TEAM))
    listed = staff.get(f"/api/v1/cases/{case.reference}").json()["attachments"]
    photo = next(a for a in listed if a["original_name"] == "light.png")
    download = staff.get(photo["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG  # type: ignore[attr-defined]
    outsider = api_client(
        make_staff(Role.INVESTIGATING_OFFICER, services=[make_service("parking")])
    )
    assert outsider.get(photo["download"]).status_code == 404


@pytest.mark.django_db
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(client):
    response = upload(client, SimpleUploadedFile("photo.png", b"<?php system($_GET['c']); ?>"))
    assert response.status_code == 200
    assert b"is not a file we can accept" in response.content
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_files_that_are_too_large_or_too_many_are_refused(client, settings):
    settings.HEARD_ATTACHMENT_MAX_BYTES = 100
    big = upload(client, SimpleUploadedFile("big.pdf", PDF + b"x" * 200))
    assert b"larger than" in big.content
    settings.HEARD_ATTACHMENT_MAX_BYTES = 10_000
    settings.HEARD_ATTACHMENTS_PER_CONTACT = 2
    many = upload(client, *(SimpleUploadedFile(f"p{i}.png", PNG) for i in range(3)))
    assert b"up to 2 files" in many.content
    assert Attachment.objects.count() == 2
