"""Fetching a mailbox over a real IMAP conversation on loopback (stdlib imaplib to a test server)."""

import pytest

from heard.cases.models import Attachment, Case, CaseEvent
from heard.channels import imap
from heard.channels.models import InboundEmail, Mailbox
from heard.channels.tasks import enqueue_due_fetches
from heard.channels.tests import imap_server, mail
from heard.testing import make_case, make_service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server():
    store = imap_server.Store("complaints@council.example", "app password 1")
    running = imap_server.start(store)
    yield running
    running.shutdown()
    running.server_close()


@pytest.fixture
def imap_mailbox(server, monkeypatch):
    monkeypatch.setenv("HEARD_TEST_MAILBOX_SECRET", "app password 1")
    return Mailbox.objects.create(
        name="Complaints",
        address="complaints@council.example",
        service=make_service("waste-imap"),
        imap_host="127.0.0.1",
        imap_port=server.port,
        imap_tls=False,
        imap_username="complaints@council.example",
        secret_variable="HEARD_TEST_MAILBOX_SECRET",
    )


def test_a_new_message_is_fetched_into_one_contact_and_marked_read_after_commit(
    server, imap_mailbox
):
    server.store.add(mail.message(attachments=[("bins.png", "image/png", mail.png())]))

    result = imap.fetch_and_record(imap_mailbox)

    assert result is not None and result.new_contacts == 1
    case = Case.objects.get()
    assert case.channel == "email"
    assert Attachment.objects.get(case=case).content_type == "image/png"
    assert server.store.messages[0].flags == {"\\Seen"}
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_result.startswith("1 fetched: 1 new")


def test_a_reply_threads_onto_its_case(server, imap_mailbox):
    case = make_case()
    server.store.add(mail.message(subject=f"Re: {case.reference} bins"))

    imap.fetch_and_record(imap_mailbox)

    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, action="email_received").count() == 1


def test_an_auto_reply_and_a_duplicate_fetch_create_nothing(server, imap_mailbox):
    raw = mail.message(message_id="<same@mail.example.org>")
    server.store.add(raw)
    server.store.add(mail.message(headers={"Auto-Submitted": "auto-replied"}))
    imap.fetch_and_record(imap_mailbox)
    # The same message again (e.g. a copy in the folder, or marking failed last time).
    server.store.add(raw)

    result = imap.fetch_and_record(imap_mailbox)

    assert result is not None and result.ignored == 0 and result.fetched == 1
    assert Case.objects.count() == 1
    assert InboundEmail.objects.count() == 2
    assert all("\\Seen" in m.flags for m in server.store.messages)


def test_a_mailbox_set_to_delete_expunges_only_what_was_committed(
    server, imap_mailbox, monkeypatch
):
    imap_mailbox.after_import = Mailbox.AfterImport.DELETE
    imap_mailbox.save()
    server.store.add(mail.message(subject="first"))
    server.store.add(mail.message(subject="second breaks"))
    server.store.add(mail.message(subject="third"))
    real = imap.take_in_message

    def failing_on_second(raw, **kwargs):
        if b"second breaks" in raw:
            raise RuntimeError("database went away")
        return real(raw, **kwargs)

    monkeypatch.setattr(imap, "take_in_message", failing_on_second)

    result = imap.fetch_and_record(imap_mailbox)

    assert result is not None and result.failed == 1 and result.new_contacts == 2
    assert [b"second breaks" in m.raw for m in server.store.messages] == [True]
    assert server.store.messages[0].flags == set()  # left for the next fetch


def test_a_wrong_password_is_recorded_on_the_mailbox_with_what_to_check(
    server, imap_mailbox, monkeypatch
):
    monkeypatch.setenv("HEARD_TEST_MAILBOX_SECRET", "wrong")

    assert imap.fetch_and_record(imap_mailbox) is None

    imap_mailbox.refresh_from_db()
    assert "refused to sign in" in imap_mailbox.last_result
    assert "check the user name and secret" in imap_mailbox.last_result


def test_a_missing_secret_says_which_variable_to_set(imap_mailbox, monkeypatch):
    monkeypatch.delenv("HEARD_TEST_MAILBOX_SECRET")

    imap.fetch_and_record(imap_mailbox)

    imap_mailbox.refresh_from_db()
    assert "Set the environment variable HEARD_TEST_MAILBOX_SECRET" in imap_mailbox.last_result


def test_the_scheduled_job_fetches_each_due_mailbox_once(server, imap_mailbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    server.store.add(mail.message())

    assert enqueue_due_fetches() == 1
    assert enqueue_due_fetches() == 0  # not due again until fetch_every_minutes have passed
    assert Case.objects.count() == 1
