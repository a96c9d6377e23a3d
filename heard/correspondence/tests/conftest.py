from datetime import UTC, datetime

import pytest

from heard.correspondence.models import LetterTemplate
from heard.org.models import Role
from heard.testing import make_case, make_service, make_staff

# A Monday: deemed received that day, stage 1 answered within 10 working days.
RECEIVED = datetime(2026, 11, 9, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _shipped_letter_templates(request):
    """Put back the shipped templates when a transactional test elsewhere emptied the tables."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("_shipped_data")
    from heard.correspondence.defaults import load_defaults
    from heard.notify.models import MessageTemplate

    load_defaults(LetterTemplate, MessageTemplate)


@pytest.fixture
def waste(db):
    return make_service(slug="waste", name="Waste and recycling")


@pytest.fixture
def author(waste):
    user = make_staff(Role.INVESTIGATING_OFFICER, services=[waste], username="ivy")
    user.first_name, user.last_name = "Ivy", "Investigator"
    user.save()
    return user


@pytest.fixture
def checker(db):
    user = make_staff(Role.COMPLAINTS_TEAM, username="carl")
    user.first_name, user.last_name = "Carl", "Checker"
    user.save()
    return user


@pytest.fixture
def case(waste):
    """A council three-stage complaint at stage 1, where letters are checked."""
    return make_case(service=waste, received_at=RECEIVED, customer_name="Ann Example")


def shipped(purpose: str, medium: str = "email", language: str = "en") -> LetterTemplate:
    """One of the templates Heard ships."""
    return LetterTemplate.objects.get(purpose=purpose, medium=medium, language=language)
