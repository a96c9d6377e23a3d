"""Administrators edit the wording in the admin; a template using a non-field is refused."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from heard.correspondence.models import LetterTemplate
from heard.notify.models import MessageTemplate
from heard.procedures.models import Procedure


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 16)
    client.force_login(admin)
    return client


def test_the_shipped_templates_are_in_the_admin_with_the_merge_fields(admin_client):
    template = LetterTemplate.objects.get(purpose="acknowledgement", medium="email", language="cy")
    page = admin_client.get(
        reverse("admin:correspondence_lettertemplate_change", args=[template.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "{{ customer_name }}" in html and "{{ how_to_escalate }}" in html
    listing = admin_client.get(reverse("admin:correspondence_lettertemplate_changelist"))
    assert "Cydnabyddiaeth (e-bost)" in listing.content.decode()


def add(admin_client, body):
    return admin_client.post(
        reverse("admin:correspondence_lettertemplate_add"),
        {
            "name": "Thank you for the compliment",
            "purpose": "other",
            "medium": "email",
            "language": "en",
            "active": "on",
            "subject": "Thank you, {{ customer_name }}",
            "body": body,
        },
    )


def test_saving_a_template_with_an_unknown_field_is_refused(admin_client):
    response = add(admin_client, "Dear {{ customer_name }}, thanks from {{ oficer_name }}.")
    assert response.status_code == 200
    assert (
        "which is not a merge field. Did you mean {{ officer_name }}?" in response.content.decode()
    )
    assert not LetterTemplate.objects.filter(name="Thank you for the compliment").exists()


def test_a_correct_template_is_saved(admin_client):
    response = add(admin_client, "Dear {{ customer_name }},\n\nThank you.\n\n{{ officer_name }}")
    assert response.status_code == 302
    assert LetterTemplate.objects.filter(name="Thank you for the compliment").exists()


def test_letters_are_read_only_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:correspondence_letter_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:correspondence_letter_add")).status_code == 403


def test_the_outbox_has_a_template_that_passes_letters_through(db):
    for language in ("en", "cy"):
        template = MessageTemplate.objects.get(
            key="correspondence", channel="email", language=language
        )
        assert (template.subject, template.body) == ("{{ subject }}", "{{ body }}")


def test_the_council_preset_checks_letters_at_stages_one_and_two(db):
    council = Procedure.objects.get(slug="council-3-stage").current_version()
    assert dict(council.stages.values_list("number", "quality_check")) == {
        1: True,
        2: True,
        3: False,
    }
    for slug in ("hos-code-2024", "lgsco-code", "spso-mchp", "correspondence-standard"):
        stages = Procedure.objects.get(slug=slug).current_version().stages.all()
        assert not any(stage.quality_check for stage in stages)
