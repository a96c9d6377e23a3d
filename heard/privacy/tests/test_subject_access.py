"""A subject access export holds everything about one person, made in the background."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from heard.cases import customers as customer_services
from heard.cases.models import Customer, RepresentativeRole
from heard.core.errors import InvalidInput, NotFound, NotPermitted
from heard.privacy import subject_access
from heard.privacy.audit import record_read
from heard.privacy.models import ExportStatus, SubjectAccessExport
from heard.privacy.tests.helpers import PNG, full_case
from heard.privacy.tests.test_audit import a_request
from heard.testing import make_case


def zip_of(export):
    export.refresh_from_db()
    path = subject_access.export_dir() / export.file_name
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


@pytest.fixture
def person(complaints):
    """Ann: a full case, a duplicate record merged into hers, and a case where she represents Bob."""
    case = full_case(complaints)
    ann = case.customer
    duplicate = make_case(by=complaints, customer_name="Ann Example (old record)").customer
    customer_services.merge(by=complaints, keep=ann, duplicate=duplicate)
    bobs = make_case(by=complaints, customer_name="Bob Other", subject="Bob's repairs")
    from heard.cases.models import Case

    Case.objects.filter(pk=bobs.pk).update(
        representative=ann, representative_role=RepresentativeRole.RELATIVE
    )
    record_read(a_request(complaints), case=case, what="case page")
    return ann


@pytest.mark.django_db
def test_asking_for_an_export_queues_it_on_the_durable_queue(
    governance, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access.request_export(by=governance, customer=str(person.pk))
    assert export.status == ExportStatus.QUEUED
    job = DBTaskResult.objects.get()
    assert job.task_path == "heard.privacy.tasks.build_subject_access_export"
    assert job.args_kwargs["args"] == [export.pk]


@pytest.mark.django_db
def test_the_export_holds_every_record_case_message_file_and_read_about_the_person(
    governance, person
):
    export = subject_access.request_export(by=governance, customer=str(person.pk))
    subject_access.build(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    archive = zip_of(export)
    data = json.loads(archive.read("data.json"))
    merged = Customer.objects.get(merged_into=person)
    assert {c["id"] for c in data["customers"]} == {person.pk, merged.pk}
    references = {c["reference"] for c in data["cases"]}
    assert len(references) == 3  # her case, the merged record's case, Bob's case she acts in
    assert any("Dear Ann Example" in m["body"] for m in data["notify.Message"])
    assert {e["action"] for e in data["cases.CaseEvent"]} >= {"received", "noted", "closed"}
    assert data["cases.CaseNote"][0]["text"].startswith("Ann Example rang again")
    assert "upload_token" not in data["cases.Attachment"][0]
    [entry] = [n for n in archive.namelist() if n.startswith("files/")]
    assert archive.read(entry) == PNG
    assert [r["what"] for r in data["privacy.PersonalDataRead"]] == ["case page"]
    index = archive.read("index.html").decode()
    assert "Ann Example" in index and "Bins not collected" in index
    assert export.counts["files"] == 1
    if "correspondence.Letter" in data:
        assert data["correspondence.Letter"][0]["body"].startswith("Dear Ann Example")


@pytest.mark.django_db
def test_only_the_person_who_asked_may_download_it(client, governance, person, admin_user):
    export = subject_access.request_export(by=governance, customer=str(person.pk))
    with pytest.raises(InvalidInput, match="not ready yet"):
        subject_access.open_for_download(by=governance, export_id=export.pk)
    subject_access.build(export.pk)
    with pytest.raises(NotFound, match="Only the person who asked"):
        subject_access.open_for_download(by=admin_user, export_id=export.pk)
    client.force_login(admin_user)
    assert client.get(f"/staff/privacy/subject-access/{export.pk}/download").status_code == 404
    client.force_login(governance)
    response = client.get(f"/staff/privacy/subject-access/{export.pk}/download")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()


@pytest.mark.django_db
def test_an_export_expires_and_its_file_is_deleted(governance, person, settings):
    settings.HEARD_SUBJECT_ACCESS_DAYS = 3
    export = subject_access.request_export(by=governance, customer=str(person.pk))
    subject_access.build(export.pk)
    export.refresh_from_db()
    path = subject_access.export_dir() / export.file_name
    later = timezone.now() + timedelta(days=3, minutes=1)
    with pytest.raises(InvalidInput, match="expired"):
        subject_access.open_for_download(by=governance, export_id=export.pk, now=later)
    assert subject_access.remove_expired(later) == 1
    assert not path.exists()
    assert SubjectAccessExport.objects.get().status == ExportStatus.EXPIRED


@pytest.mark.django_db
def test_casework_staff_cannot_ask_for_an_export(complaints, person):
    with pytest.raises(NotPermitted, match="Information governance"):
        subject_access.request_export(by=complaints, customer=str(person.pk))


@pytest.mark.django_db
def test_a_person_is_found_by_number_or_by_an_email_only_they_hold(governance, complaints):
    case = make_case(by=complaints)
    Customer.objects.filter(pk=case.customer_id).update(email="unique@example.org")
    export = subject_access.request_export(by=governance, customer="Unique@Example.org")
    assert export.customer_number == case.customer_id
    make_case(by=complaints)
    make_case(by=complaints)  # two more with ann@example.org
    with pytest.raises(InvalidInput, match="Several customers have this email address"):
        subject_access.request_export(by=governance, customer="ann@example.org")
    with pytest.raises(NotFound, match="no customer number 999999"):
        subject_access.request_export(by=governance, customer="999999")


@pytest.mark.django_db
def test_the_subject_access_page_queues_an_export_and_lists_it(client, governance, person):
    client.force_login(governance)
    response = client.post("/staff/privacy/subject-access/", {"customer": str(person.pk)})
    assert response.status_code == 302
    page = client.get("/staff/privacy/subject-access/").content.decode()
    assert "Queued" in page
    assert (
        "Enter the customer number"
        in client.post("/staff/privacy/subject-access/", {"customer": ""}).content.decode()
    )
