"""Email in: what each kind of message becomes, taken in from its real bytes."""

import pytest

from heard.cases.models import Attachment, Case, CaseEvent, CaseNote, Customer
from heard.channels.email_in import take_in_message
from heard.channels.models import InboundEmail
from heard.channels.tests import mail
from heard.notify.models import Message
from heard.testing import make_case

pytestmark = pytest.mark.django_db


def test_a_new_message_becomes_one_contact_in_triage_with_the_sender_as_customer(mailbox):
    record = take_in_message(mail.message(), mailbox=mailbox)

    assert record.outcome == InboundEmail.Outcome.NEW_CONTACT
    case = Case.objects.get()
    assert case.channel == "email"
    assert case.kind == "complaint"
    assert case.subject == "My bins were not collected again"
    assert "three weeks on Elm Road" in case.description
    assert case.customer.name == "Ann Example"
    assert case.customer.email == "ann@example.org"
    assert case.service == mailbox.service
    assert case.assigned_officer is None  # waiting in triage
    assert Message.objects.filter(recipient="ann@example.org", case=case).count() == 1


def test_the_same_message_taken_in_twice_is_stored_once_and_makes_one_case(mailbox):
    raw = mail.message(message_id="<once@mail.example.org>")
    first = take_in_message(raw, mailbox=mailbox)
    second = take_in_message(raw, mailbox=mailbox)

    assert first.pk == second.pk
    assert InboundEmail.objects.count() == 1
    assert Case.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_message_without_a_message_id_is_still_recognised_the_second_time(mailbox):
    raw = mail.message().replace(b"Message-ID:", b"X-Old-Message-ID:")
    take_in_message(raw, mailbox=mailbox)
    take_in_message(raw, mailbox=mailbox)

    assert Case.objects.count() == 1


def test_a_reply_with_the_reference_in_the_subject_is_threaded_onto_its_case_and_flagged(mailbox):
    case = make_case()
    raw = mail.message(
        subject=f"RE: Your complaint {case.reference.lower()} has been received",
        text="I have not heard anything since. Please call me.",
    )

    record = take_in_message(raw, mailbox=mailbox)

    assert record.outcome == InboundEmail.Outcome.THREADED
    assert record.case == case
    assert Case.objects.count() == 1
    event = CaseEvent.objects.get(case=case, action="email_received")
    assert "ann@example.org" in event.summary
    note = CaseNote.objects.get(case=case)
    assert note.text.startswith("The customer wrote again")
    assert "Please call me" in note.text
    assert Message.objects.count() == 0  # no second acknowledgement


def test_a_reply_from_an_address_not_on_the_case_says_so_in_the_flag(mailbox):
    case = make_case()
    take_in_message(
        mail.message(sender="someone@elsewhere.example", subject=f"About {case.reference}"),
        mailbox=mailbox,
    )

    assert "Someone other than the customer" in CaseNote.objects.get(case=case).text


def test_a_reference_that_does_not_exist_makes_a_new_contact(mailbox):
    take_in_message(mail.message(subject="About CMP-1999-000001"), mailbox=mailbox)

    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"Precedence": "auto_reply"},
    ],
    ids=lambda h: ":".join(next(iter(h.items()))),
)
def test_an_auto_reply_creates_nothing_and_is_never_acknowledged(mailbox, headers):
    raw = mail.message(subject="Out of office: My bins", headers=headers)

    record = take_in_message(raw, mailbox=mailbox)

    assert record.outcome == InboundEmail.Outcome.AUTO_REPLY
    assert Case.objects.count() == 0
    assert Message.objects.count() == 0


def test_an_auto_reply_to_a_case_is_not_threaded_onto_it(mailbox):
    case = make_case()
    take_in_message(
        mail.message(
            subject=f"Automatic reply: {case.reference}", headers={"Auto-Submitted": "auto-replied"}
        ),
        mailbox=mailbox,
    )

    assert not CaseEvent.objects.filter(case=case, action="email_received").exists()


def test_auto_submitted_no_is_an_ordinary_message(mailbox):
    record = take_in_message(mail.message(headers={"Auto-Submitted": "no"}), mailbox=mailbox)

    assert record.outcome == InboundEmail.Outcome.NEW_CONTACT


def test_a_bounce_creates_nothing(mailbox):
    record = take_in_message(mail.bounce(), mailbox=mailbox)

    assert record.outcome == InboundEmail.Outcome.BOUNCE
    assert Case.objects.count() == 0
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"message_id": "<acknowledgement.7@heard.invalid>"},
        {"headers": {"X-Heard-Case": "CMP-2026-000001"}},
        {"sender": "Waste complaints <complaints@council.example>"},
    ],
    ids=["our-message-id", "x-heard-header", "from-the-mailbox-itself"],
)
def test_our_own_mail_coming_back_is_a_loop_and_creates_nothing(mailbox, kwargs, settings):
    settings.HEARD_MESSAGE_ID_DOMAIN = "heard.invalid"
    record = take_in_message(mail.message(**kwargs), mailbox=mailbox)

    assert record.outcome == InboundEmail.Outcome.LOOP
    assert Case.objects.count() == 0
    assert Message.objects.count() == 0


def test_attachments_are_kept_by_their_content_and_a_refused_one_is_noted(mailbox):
    raw = mail.message(
        attachments=[
            ("photo of the bins.png", "image/png", mail.png()),
            ("invoice.pdf", "application/pdf", b"MZ\x90\x00 not really a pdf at all"),
        ]
    )

    record = take_in_message(raw, mailbox=mailbox)

    kept = Attachment.objects.get(case=record.case)
    assert kept.original_name == "photo of the bins.png"
    assert kept.content_type == "image/png"
    refused = CaseEvent.objects.get(case=record.case, action="file_refused")
    assert "invoice.pdf is not a file we can accept" in refused.summary


def test_an_attachment_over_the_size_limit_is_refused_but_the_message_is_kept(mailbox, settings):
    settings.HEARD_ATTACHMENT_MAX_BYTES = 100
    raw = mail.message(attachments=[("big.png", "image/png", mail.png() + b"\x00" * 200)])

    record = take_in_message(raw, mailbox=mailbox)

    assert record.outcome == InboundEmail.Outcome.NEW_CONTACT
    assert not Attachment.objects.exists()
    assert "larger than" in CaseEvent.objects.get(action="file_refused").summary


def test_a_reply_carries_its_attachments_onto_the_case(mailbox):
    case = make_case()
    take_in_message(
        mail.message(
            subject=f"Re: {case.reference}", attachments=[("bin.png", "image/png", mail.png())]
        ),
        mailbox=mailbox,
    )

    assert case.attachments.get().content_type == "image/png"


def test_an_html_only_message_is_read_as_text(mailbox):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "bob@example.org"
    message["To"] = "complaints@council.example"
    message["Subject"] = "Streetlight"
    message["Message-ID"] = "<html-only@example.org>"
    message.set_content("<p>The streetlight on <b>Oak Lane</b> is out.</p>", subtype="html")

    take_in_message(bytes(message), mailbox=mailbox)

    assert Case.objects.get().description == "The streetlight on Oak Lane is out."


def test_a_message_with_no_sender_address_is_recorded_but_makes_no_case(mailbox):
    raw = mail.message(sender="undisclosed-recipients:;")

    record = take_in_message(raw, mailbox=mailbox)

    assert record.outcome == InboundEmail.Outcome.REJECTED
    assert "no sender address" in record.reason
    assert Case.objects.count() == 0


def test_a_mailbox_can_record_new_mail_as_service_requests_without_acknowledging(mailbox):
    mailbox.kind = "service_request"
    mailbox.acknowledge = False
    mailbox.save()

    take_in_message(mail.message(), mailbox=mailbox)

    assert Case.objects.get().kind == "service_request"
    assert Message.objects.count() == 0


# -- known senders and threads by header -------------------------------------------------------


def test_a_new_message_from_a_known_address_goes_on_the_existing_customer_record(mailbox):
    earlier = make_case()
    customer = earlier.customer
    customer.email = "Ann@Example.org"  # as the customer typed it on the web form
    customer.language = "cy"
    customer.save()

    record = take_in_message(
        mail.message(sender="Ann Example <Ann@Example.org>", subject="Another missed collection"),
        mailbox=mailbox,
    )

    case = record.case
    assert record.outcome == InboundEmail.Outcome.NEW_CONTACT
    assert case is not None and case != earlier
    assert case.customer == customer
    assert Case.objects.get(pk=case.pk).customer_key == customer.email_key is not None
    assert Customer.objects.filter(email__iexact="ann@example.org").count() == 1
    assert CaseEvent.objects.filter(case=case, action="customer_matched").count() == 1
    acknowledgement = Message.objects.get(case=case)
    assert acknowledgement.language == "cy"  # the customer's own language, as on record


def test_a_sender_whose_record_was_merged_goes_on_the_record_kept(mailbox):
    from heard.cases.customers import merge
    from heard.testing import make_staff

    duplicate = make_case().customer
    duplicate.email = "ann@example.org"
    duplicate.save()
    kept = make_case().customer
    merge(by=make_staff("complaints_team"), keep=kept, duplicate=duplicate)

    record = take_in_message(mail.message(), mailbox=mailbox)

    assert record.case is not None and record.case.customer == kept
    assert Case.objects.get(pk=record.case.pk).customer_key == kept.email_key


def test_an_unknown_address_makes_a_new_customer_record(mailbox):
    make_case()  # a customer with another address

    record = take_in_message(mail.message(sender="New Person <new@example.net>"), mailbox=mailbox)

    assert record.case is not None and record.case.customer.email == "new@example.net"
    assert not CaseEvent.objects.filter(action="customer_matched").exists()


def test_a_reply_to_heards_own_email_is_threaded_by_in_reply_to_without_a_reference(mailbox):
    first = take_in_message(mail.message(), mailbox=mailbox)
    case = first.case
    acknowledgement = Message.objects.get(case=case)
    Message.objects.filter(pk=acknowledgement.pk).update(
        provider_reference="<acknowledgement.7@heard.invalid>"
    )

    reply = take_in_message(
        mail.message(
            subject="Re: We have received your message",
            text="Thank you. Also, the recycling box is missing.",
            headers={
                "In-Reply-To": "<acknowledgement.7@heard.invalid>",
                "References": "<acknowledgement.7@heard.invalid>",
            },
        ),
        mailbox=mailbox,
    )

    assert reply.outcome == InboundEmail.Outcome.THREADED
    assert reply.case == case
    assert Case.objects.count() == 1
    assert "recycling box is missing" in CaseNote.objects.get(case=case).text


def test_a_follow_up_in_the_customers_own_thread_is_threaded_by_references(mailbox):
    first = take_in_message(mail.message(message_id="<first@mail.example.org>"), mailbox=mailbox)

    follow_up = take_in_message(
        mail.message(
            subject="Re: My bins were not collected again",
            text="Forgot to say: it is number 12.",
            headers={"References": "<unrelated@else.example> <first@mail.example.org>"},
        ),
        mailbox=mailbox,
    )

    assert follow_up.outcome == InboundEmail.Outcome.THREADED
    assert follow_up.case == first.case
    assert Case.objects.count() == 1


def test_a_reply_to_a_message_heard_never_saw_is_a_new_contact(mailbox):
    record = take_in_message(
        mail.message(headers={"In-Reply-To": "<never-seen@mail.example.org>"}), mailbox=mailbox
    )

    assert record.outcome == InboundEmail.Outcome.NEW_CONTACT
