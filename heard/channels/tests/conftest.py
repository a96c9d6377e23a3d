import pytest

from heard.channels.models import Mailbox


@pytest.fixture
def mailbox(db, service):
    return Mailbox.objects.create(
        name="Waste complaints", address="complaints@council.example", service=service
    )
