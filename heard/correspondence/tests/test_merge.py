"""Templates may use merge fields and nothing else; the fields say what the case says."""

from datetime import date

import pytest
from django.utils import timezone

from heard.cases import services as case_services
from heard.core.errors import InvalidInput
from heard.correspondence import merge
from heard.correspondence.defaults import default_templates
from heard.org.calendars import get_organisation
from heard.testing import make_case

from .conftest import RECEIVED


def test_every_shipped_template_uses_only_merge_fields():
    for row in default_templates():
        merge.validate_template(subject=row["subject"], body=row["body"])


def test_the_customer_facing_templates_are_shipped_in_english_and_welsh():
    rows = {(r["purpose"], r["medium"], r["language"]) for r in default_templates()}
    for purpose in ("acknowledgement", "holding", "stage_response", "final_response"):
        for medium in ("email", "letter"):
            assert {(purpose, medium, "en"), (purpose, medium, "cy")} <= rows


def test_an_unknown_merge_field_is_refused_with_a_suggestion():
    with pytest.raises(InvalidInput) as refused:
        merge.validate_template(subject="About {{ reference }}", body="Dear {{ customer_nmae }},")
    assert refused.value.field == "body"
    assert "{{ customer_nmae }}, which is not a merge field" in refused.value.message
    assert "Did you mean {{ customer_name }}?" in refused.value.message


def test_the_subject_is_checked_too():
    with pytest.raises(InvalidInput) as refused:
        merge.validate_template(subject="{{ case.reference }}", body="Hello")
    assert refused.value.field == "subject"
    assert "Merge fields have no parts" in refused.value.message


@pytest.mark.parametrize(
    "body",
    [
        "{% load static %}",
        "{% include 'staff/base.html' %}",
        "{% for x in reference %}{{ x }}{% endfor %}",
        "{% debug %}",
        "{% url 'staff:home' %}",
        "{% now 'Y' %}",
    ],
)
def test_tags_other_than_if_are_refused(body):
    with pytest.raises(InvalidInput) as refused:
        merge.validate_template(subject="Hello", body=body)
    assert refused.value.field == "body"


@pytest.mark.parametrize(
    "body", ["{{ reference|safe }}", "{{ today|date:'Y' }}", "{{ reference|default:secret }}"]
)
def test_only_text_filters_are_allowed(body):
    with pytest.raises(InvalidInput):
        merge.validate_template(subject="Hello", body=body)


def test_an_unknown_field_inside_an_if_is_refused():
    with pytest.raises(InvalidInput) as refused:
        merge.validate_template(
            subject="Hello", body="{% if extended_to and not secret %}x{% endif %}"
        )
    assert "{{ secret }}" in refused.value.message


def test_a_syntax_mistake_is_refused_with_a_message():
    with pytest.raises(InvalidInput) as refused:
        merge.validate_template(subject="Hello", body="{% if reference %}unclosed")
    assert refused.value.message.startswith("There is a mistake in the body")


def test_ifs_literals_and_text_filters_are_allowed():
    merge.validate_template(
        subject="{{ reference|upper }}",
        body="{% if extended_to %}By {{ extended_to }}{% elif respond_by %}x{% else %}"
        '{{ ombudsman|default:"none" }}{% endif %}{# a note #}',
    )


def test_rendering_is_text_not_html_and_closes_up_blank_lines():
    text = merge.render(
        "Dear {{ customer_name }},\n\n{% if extended_to %}Late.{% endif %}\n\n\nBye",
        {"customer_name": "O'Brien & <Sons>", "extended_to": ""},
    )
    assert text == "Dear O'Brien & <Sons>,\n\nBye"


def test_dates_are_written_out_in_english_and_welsh():
    assert merge.long_date(date(2026, 11, 24)) == "24 November 2026"
    assert merge.long_date(date(2026, 11, 24), "cy") == "24 Tachwedd 2026"
    assert merge.long_date(date(2026, 3, 1)) == "1 March 2026"


def test_the_fields_describe_the_case_at_its_current_stage(case, author):
    fields = merge.context_for(case, purpose="acknowledgement", language="en", officer=author)
    assert fields["reference"] == case.reference
    assert fields["customer_name"] == "Ann Example"
    assert fields["received_date"] == "9 November 2026"
    assert fields["acknowledge_by"] == "16 November 2026"  # 5 working days
    assert fields["respond_by"] == "23 November 2026"  # 10 working days
    assert fields["due_date"] == "23 November 2026"
    assert fields["extended_to"] == ""
    assert fields["stage_number"] == "1"
    assert fields["stage_name"] == "Line manager response"
    assert fields["procedure_name"] == "Council three-stage complaints procedure"
    assert fields["officer_name"] == "Ivy Investigator"
    assert fields["service_name"] == "Waste and recycling"
    assert fields["organisation_name"] == get_organisation().name
    assert "reply by 23 November 2026" in fields["what_happens_next"]
    assert set(fields) == set(merge.MERGE_FIELDS)


def test_the_escalation_route_names_the_next_stage_and_the_time_allowed(case, author):
    fields = merge.context_for(case, purpose="stage_response", language="en", officer=author)
    assert fields["next_stage_name"] == "Review by head of service"
    assert fields["escalate_within"] == "20 working days"
    assert "stage 2 (Review by head of service)" in fields["how_to_escalate"]
    assert f"by {fields['escalate_by']}, quoting {case.reference}" in fields["how_to_escalate"]
    # The council procedure asks only what the customer remains unhappy about.
    assert "what you remain unhappy about" in fields["how_to_escalate"]


def test_under_an_ombudsman_code_no_reason_is_needed_to_escalate(waste, author):
    case = make_case(procedure="hos-code-2024", service=waste, received_at=RECEIVED)
    fields = merge.context_for(case, purpose="stage_response", language="en", officer=author)
    assert "You do not have to explain why." in fields["how_to_escalate"]
    assert fields["ombudsman_name"] == "Housing Ombudsman"


@pytest.mark.parametrize(
    ("procedure", "ombudsman"),
    [
        ("hos-code-2024", "Housing Ombudsman (www.housing-ombudsman.org.uk, 0300 111 3000)"),
        (
            "lgsco-code",
            "Local Government and Social Care Ombudsman (www.lgo.org.uk, 0300 061 0614)",
        ),
        ("spso-mchp", "Scottish Public Services Ombudsman (www.spso.org.uk, 0800 377 7330)"),
        (
            "council-3-stage",
            "Local Government and Social Care Ombudsman (www.lgo.org.uk, 0300 061 0614)",
        ),
    ],
)
def test_the_ombudsman_follows_the_procedure(waste, author, procedure, ombudsman):
    case = make_case(procedure=procedure, service=waste, received_at=RECEIVED)
    fields = merge.context_for(case, purpose="final_response", language="en", officer=author)
    assert fields["ombudsman"] == ombudsman


def test_a_scottish_organisation_s_own_procedure_points_to_the_spso(waste, author):
    organisation = get_organisation()
    organisation.nation = "scotland"
    organisation.save()
    case = make_case(service=waste, received_at=RECEIVED)
    fields = merge.context_for(case, purpose="final_response", language="en", officer=author)
    assert fields["ombudsman_name"] == "Scottish Public Services Ombudsman"


def test_after_the_last_stage_the_way_on_is_the_ombudsman(waste, author):
    case = make_case(procedure="correspondence-standard", service=waste, received_at=RECEIVED)
    fields = merge.context_for(case, purpose="final_response", language="en", officer=author)
    assert fields["next_stage_name"] == "" and fields["escalate_by"] == ""
    assert fields["how_to_escalate"].startswith(
        "If you remain unhappy, you can ask the Local Government and Social Care Ombudsman"
    )
    assert fields["what_happens_next"].startswith("This is our final response")


def test_an_extension_gives_the_new_date(case, author, checker):
    case_services.extend(
        case,
        by=checker,
        new_date=date(2026, 12, 7),
        reason="The crew records are with the contractor.",
        customer_told_how="email",
        customer_told_at=timezone.now(),
    )
    fields = merge.context_for(case, purpose="holding", language="en", officer=author)
    assert fields["extended_to"] == "7 December 2026"
    assert fields["respond_by"] == "23 November 2026"
    assert "reply by 7 December 2026" in fields["what_happens_next"]


def test_welsh_fields_are_in_welsh(case, author):
    fields = merge.context_for(case, purpose="stage_response", language="cy", officer=author)
    assert fields["respond_by"] == "23 Tachwedd 2026"
    assert fields["escalate_within"] == "20 diwrnod gwaith"
    assert fields["how_to_escalate"].startswith("Os ydych yn dal yn anfodlon")
