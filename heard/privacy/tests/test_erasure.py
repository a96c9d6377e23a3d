"""Erasure removes the person and keeps the case counted."""

from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count

from heard.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseNote,
    Customer,
    Remedy,
    RepresentativeRole,
    StageRecord,
)
from heard.core.errors import InvalidInput, NotPermitted
from heard.notify.models import Message
from heard.privacy.erasure import ERASED_NAME, REDACTED, erase_person, redact_text
from heard.privacy.models import AnonymisedCase, Erasure
from heard.privacy.people import optional_model
from heard.privacy.tests.helpers import full_case
from heard.testing import make_case


def everything_said(case):
    """Every piece of text held about the case, joined up."""
    case.refresh_from_db()
    parts = [case.subject, case.description, case.customer.name, case.customer.email]
    parts += list(CaseNote.objects.filter(case=case).values_list("text", flat=True))
    for row in CaseEvent.objects.filter(case=case):
        parts += [row.summary, str(row.before), str(row.after)]
    for record in StageRecord.objects.filter(case=case):
        parts += [record.unresolved, record.response_summary, record.lessons_learned]
    parts += list(
        Remedy.objects.filter(stage_record__case=case).values_list("description", flat=True)
    )
    for message in Message.objects.filter(case=case):
        parts += [message.recipient, message.subject, message.body]
    letter: Any = optional_model("correspondence.Letter")
    if letter is not None:
        for sent in letter._base_manager.filter(case=case):
            parts += [sent.recipient, sent.address, sent.subject, sent.body]
    return "\n".join(parts)


@pytest.mark.django_db
def test_erasure_leaves_the_case_counted_but_about_nobody(governance, complaints):
    case = full_case(complaints)
    keep = full_case(complaints, customer_name="Carol Keep", subject="Potholes on Main Street")
    file_path = Path(Attachment.objects.get(case=case).file.path)
    assert file_path.exists()
    before = dict(Case.objects.values_list("kind").annotate(n=Count("pk")))
    record = StageRecord.objects.get(case=case)

    erasure = erase_person(
        by=governance,
        customer=str(case.customer_id),
        reason="Erasure request 3 March, IG-123",
        confirmed=True,
    )

    said = everything_said(case)
    for secret in (
        "Ann Example",
        "ann@example.org",
        "Elm Road",
        "upset about her health",
        "Example",
    ):
        assert secret not in said, secret
    customer = Customer.objects.get(pk=case.customer_id)
    assert (customer.name, customer.email, customer.phone, customer.address) == (
        ERASED_NAME,
        "",
        "",
        "",
    )
    case.refresh_from_db()
    # What reports count is all still there.
    assert dict(Case.objects.values_list("kind").annotate(n=Count("pk"))) == before
    assert (case.kind, case.status, case.service_id, case.received_at) == (
        "complaint",
        "closed",
        keep.service_id,
        case.received_at,
    )
    after = StageRecord.objects.get(case=case)
    assert (after.outcome, after.responded_at, after.respond_by) == (
        record.outcome,
        record.responded_at,
        record.respond_by,
    )
    assert Remedy.objects.filter(stage_record__case=case, kind="apology").exists()
    assert "rota fixed" in after.lessons_learned
    assert not Attachment.objects.filter(case=case).exists()
    assert AnonymisedCase.objects.filter(case=case, erasure=erasure).exists()
    assert CaseEvent.objects.filter(case=case, action="personal_data_erased").exists()
    # Someone else's case is untouched.
    assert "Carol Keep" in everything_said(keep)
    # The record of the erasure says who, when, why and how much, and nothing personal.
    erasure.refresh_from_db()
    assert erasure.by_username == governance.username
    assert erasure.case_references == [case.reference]
    assert erasure.counts["files"] == 1 and erasure.counts["notes"] == 1
    assert "Ann" not in str(erasure.counts) + str(erasure.customer_numbers) + erasure.reason


@pytest.mark.django_db(transaction=True)
def test_files_are_deleted_from_disk_once_the_erasure_is_kept(governance, complaints):
    case = full_case(complaints)
    file_path = Path(Attachment.objects.get(case=case).file.path)
    erase_person(by=governance, customer=str(case.customer_id), reason="Request", confirmed=True)
    assert not file_path.exists()


@pytest.mark.django_db
def test_the_action_log_stays_append_only_for_everyone_else(governance, complaints):
    case = full_case(complaints)
    erase_person(by=governance, customer=str(case.customer_id), reason="Request", confirmed=True)
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).update(summary="rewritten")


@pytest.mark.django_db
def test_in_a_case_where_they_acted_for_someone_only_they_are_removed(governance, complaints):
    theirs = make_case(by=complaints, customer_name="Dan Rep")
    bobs = make_case(
        by=complaints, customer_name="Bob Other", subject="Dan Rep says the roof leaks"
    )
    Case.objects.filter(pk=bobs.pk).update(
        representative=theirs.customer, representative_role=RepresentativeRole.RELATIVE
    )
    erase_person(by=governance, customer=str(theirs.customer_id), reason="Request", confirmed=True)
    bobs.refresh_from_db()
    assert bobs.subject == f"{REDACTED} says the roof leaks"
    assert bobs.customer.name == "Bob Other"
    assert not AnonymisedCase.objects.filter(case=bobs).exists()
    assert AnonymisedCase.objects.filter(case=theirs).exists()


@pytest.mark.django_db
def test_merged_duplicates_are_erased_too(governance, complaints):
    from heard.cases import customers

    kept = make_case(by=complaints, customer_name="Eve Person").customer
    duplicate = make_case(by=complaints, customer_name="Eve Persson").customer
    customers.merge(by=complaints, keep=kept, duplicate=duplicate)
    erase_person(by=governance, customer=str(duplicate.pk), reason="Request", confirmed=True)
    assert set(
        Customer.objects.filter(pk__in=[kept.pk, duplicate.pk]).values_list("name", flat=True)
    ) == {ERASED_NAME}


@pytest.mark.django_db
def test_erasure_takes_the_email_key_off_the_person_and_their_cases(governance, complaints):
    """The key stands for the address, so it goes with it; the cases stay counted, as nobody's."""
    case = make_case(by=complaints, customer_name="Eve Person")
    other = make_case(by=complaints, customer_name="Carol Keep")
    assert case.customer_key is not None

    erase_person(by=governance, customer=str(case.customer_id), reason="Request", confirmed=True)

    assert Customer.objects.get(pk=case.customer_id).email_key is None
    assert Case.objects.get(pk=case.pk).customer_key is None
    assert Case.objects.get(pk=other.pk).customer_key == other.customer.email_key is not None


@pytest.mark.django_db
def test_erasure_needs_a_reason_confirmation_and_the_role(governance, complaints):
    case = make_case(by=complaints)
    with pytest.raises(InvalidInput, match="Say why"):
        erase_person(by=governance, customer=str(case.customer_id), reason=" ", confirmed=True)
    with pytest.raises(InvalidInput, match="cannot be undone"):
        erase_person(
            by=governance, customer=str(case.customer_id), reason="Request", confirmed=False
        )
    with pytest.raises(NotPermitted):
        erase_person(
            by=complaints, customer=str(case.customer_id), reason="Request", confirmed=True
        )
    assert not Erasure.objects.exists()


@pytest.mark.django_db
def test_the_erasure_page_erases_and_shows_the_record(client, governance, complaints):
    case = make_case(by=complaints)
    client.force_login(governance)
    response = client.post(
        "/staff/privacy/erase/",
        {"customer": str(case.customer_id), "reason": "Request IG-9", "confirmed": "on"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Request IG-9" in page and case.reference in page
    refused = client.post(
        "/staff/privacy/erase/", {"customer": str(case.customer_id), "reason": "x"}
    )
    assert "Confirm that you understand" in refused.content.decode()


def test_identifiers_are_cut_from_words_quoted_in_part():
    long_note = "The customer explained at length that the collection crew " * 3
    summary = ("Note: " + long_note)[:60]
    assert redact_text(summary, [long_note.strip()]) == f"Note: {REDACTED}"
    assert redact_text("Annual review for Ann", ["Ann"]) == f"Annual review for {REDACTED}"
