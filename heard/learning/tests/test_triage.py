"""Themes at triage over HTTP: the suggestion is shown, ticking it records it with the contact,
and a customer's recent contact about the same thing is flagged as a repeat."""

import pytest

from heard.cases.models import Case
from heard.learning.classification import classification_of
from heard.learning.suggestions import train_theme_model
from heard.learning.tests.test_suggestions import HISTORY, _case
from heard.org.models import Role
from heard.testing import make_service, make_staff

pytestmark = pytest.mark.django_db

CONTACT = {
    "channel": "phone",
    "kind": "complaint",
    "subject": "Recycling bin not collected",
    "description": "Nobody collected our recycling bin this week.",
    "name": "Ann Example",
    "email": "ann@example.org",
    "contact_preference": "phone",
    "then": "triage",
}


@pytest.fixture
def trained(complaints):
    for theme, texts in HISTORY.items():
        for text in texts:
            _case(complaints, text, theme)
    train_theme_model()


def test_the_suggested_theme_is_shown_and_accepting_it_records_it_with_the_contact(client, trained):
    client.force_login(make_staff(Role.COMPLAINTS_TEAM, username="triage-learning"))
    preview = client.post("/staff/triage", {**CONTACT, "preview": "1"}).content.decode()
    assert "Missed bin collection — suggested," in preview
    assert 'name="learning-themes"' in preview
    response = client.post(
        "/staff/triage", {**CONTACT, "learning-themes": ["missed-bin-collection"]}
    )
    assert response.status_code == 302
    case = Case.objects.get(subject="Recycling bin not collected")
    recorded = classification_of(case)
    assert recorded is not None
    assert [t.slug for t in recorded.themes.all()] == ["missed-bin-collection"]


def test_without_a_theme_ticked_the_contact_is_recorded_without_themes(client, complaints):
    client.force_login(complaints)
    assert client.post("/staff/triage", CONTACT).status_code == 302
    assert classification_of(Case.objects.get(subject="Recycling bin not collected")) is None


def test_a_repeat_contact_is_flagged_at_triage_and_on_the_case_page(client, complaints):
    waste = make_service("waste-triage", "Waste")
    client.force_login(complaints)
    client.post("/staff/triage", {**CONTACT, "service": waste.pk})
    again = {**CONTACT, "service": waste.pk, "subject": "Bin still not collected"}
    preview = client.post("/staff/triage", {**again, "preview": "1"}).content.decode()
    first = Case.objects.get(subject="Recycling bin not collected")
    assert "Repeat contact (failure demand)" in preview and first.reference in preview
    client.post("/staff/triage", again)
    second = Case.objects.get(subject="Bin still not collected")
    page = client.get(f"/staff/cases/{second.reference}").content.decode()
    assert "Repeat contact (failure demand)" in page and first.reference in page
