"""Merge fields: what a letter template may say about a case, and how it is filled in.

Templates are written in a small part of Django's template language: ``{{ merge_field }}``,
a few text filters (``{{ customer_name|upper }}``) and ``{% if %}`` … ``{% endif %}``.
Anything else — another tag, an attribute lookup, a name that is not a merge field — is
refused when the template is saved, so a template can never reach beyond the plain
strings it is given. Rendering uses an engine with no loaders and autoescaping off: the
result is text, escaped later by whatever page shows it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Node, NodeList, TextNode, Variable, VariableNode
from django.template.defaulttags import CommentNode, IfNode
from django.utils import timezone

from heard.cases.models import Case, StageRecord
from heard.core.errors import InvalidInput
from heard.org.calendars import get_organisation, organisation_calendar
from heard.org.models import Organisation

# The fields a template may use, in the order the admin lists them.
MERGE_FIELDS: dict[str, str] = {
    "customer_name": "The customer's name",
    "customer_address": "The customer's postal address",
    "reference": "The case reference, e.g. CMP-2026-00042",
    "case_subject": "What the case is about, as recorded",
    "received_date": "When the contact was received, e.g. 24 November 2026",
    "acknowledge_by": "The date it is to be acknowledged by (empty if none)",
    "respond_by": "The date the current stage is to be answered by",
    "extended_to": "The new date if the deadline was extended (empty if not)",
    "due_date": "The date we will reply by: the extended date if there is one",
    "stage_number": "The number of the current stage, e.g. 1",
    "stage_name": "The name of the current stage, e.g. Line manager response",
    "procedure_name": "The name of the complaints procedure the case follows",
    "what_happens_next": "A sentence on what we will do next, suited to the kind of letter",
    "next_stage_number": "The number of the next stage (empty at the final stage)",
    "next_stage_name": "The name of the next stage (empty at the final stage)",
    "escalate_within": "How long the customer has to ask for the next stage, e.g. 20 working days",
    "escalate_by": "The date by which to ask for the next stage",
    "how_to_escalate": "How to take it further: the next stage, or the ombudsman after the last",
    "ombudsman": "The ombudsman with their website and phone number (empty if none)",
    "ombudsman_name": "The ombudsman's name",
    "ombudsman_website": "The ombudsman's website",
    "ombudsman_phone": "The ombudsman's phone number",
    "officer_name": "The name of the officer writing",
    "service_name": "The service the case is about (the organisation if none)",
    "organisation_name": "The organisation's name",
    "today": "Today's date",
}

ALLOWED_FILTERS = frozenset({"upper", "lower", "title", "capfirst", "default"})
# Text officers must replace before a letter can go for its check or be sent.
PLACEHOLDER = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)
# How long a customer has to ask for the next stage. Not yet a procedure setting.
ESCALATE_WITHIN_WORKING_DAYS = 20

ENGINE = Engine(autoescape=False, loaders=[], libraries={}, string_if_invalid="")


# -- checking and rendering ---------------------------------------------------------------


def validate_template(*, subject: str, body: str) -> None:
    """Refuse a template that uses anything but merge fields, text filters and ``{% if %}``."""
    for field, source in (("subject", subject), ("body", body)):
        _validate(source, field)


def render(source: str, context: dict[str, str], *, field: str = "body") -> str:
    """Fill in a validated template. Runs of blank lines left by empty fields are closed up."""
    template = _validate(source, field)
    text = str(template.render(Context(context, autoescape=False)))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def placeholders(text: str) -> list[str]:
    """The ``[[…]]`` placeholders still in a letter."""
    return [match.strip() for match in PLACEHOLDER.findall(text)]


def help_text() -> str:
    """The merge fields, one a line, for the admin."""
    return "\n".join(f"{{{{ {name} }}}} — {meaning}" for name, meaning in MERGE_FIELDS.items())


def _validate(source: str, field: str) -> Template:
    where = "the subject" if field == "subject" else "the body"
    try:
        template = Template(source, engine=ENGINE)
    except TemplateSyntaxError as error:
        raise InvalidInput(f"There is a mistake in {where}: {error}", field=field) from error
    _check_nodes(template.nodelist, field, where)
    return template


def _check_nodes(nodelist: NodeList, field: str, where: str) -> None:
    for node in nodelist:
        if isinstance(node, TextNode | CommentNode):
            continue
        if isinstance(node, VariableNode):
            _check_expression(node.filter_expression, field, where)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                if condition is not None:
                    _check_condition(condition, field, where)
                _check_nodes(branch, field, where)
        else:
            raise InvalidInput(
                f"{where.capitalize()} uses {{% {_tag_name(node)} %}}, which letter templates "
                "cannot use. Use merge fields such as {{ reference }} and "
                "{% if … %} … {% endif %} only.",
                field=field,
            )


def _check_condition(condition: Any, field: str, where: str) -> None:
    value = getattr(condition, "value", None)
    if isinstance(value, FilterExpression):
        _check_expression(value, field, where)
    for part in ("first", "second"):
        child = getattr(condition, part, None)
        if child is not None:
            _check_condition(child, field, where)


def _check_expression(expression: FilterExpression, field: str, where: str) -> None:
    _check_variable(expression.var, field, where)
    for function, arguments in expression.filters:
        name = getattr(function, "_filter_name", function.__name__)
        if name not in ALLOWED_FILTERS:
            raise InvalidInput(
                f"{where.capitalize()} uses the filter |{name}, which letter templates cannot "
                f"use. The filters you can use are: {', '.join(sorted(ALLOWED_FILTERS))}.",
                field=field,
            )
        for _is_lookup, argument in arguments:
            _check_variable(argument, field, where)


def _check_variable(variable: Any, field: str, where: str) -> None:
    if not isinstance(variable, Variable) or variable.lookups is None:
        return  # a literal: "text" or a number
    name = variable.lookups[0]
    if len(variable.lookups) > 1:
        raise InvalidInput(
            f"{where.capitalize()} uses {{{{ {variable.var} }}}}. Merge fields have no parts: "
            f"write {{{{ {name} }}}} if you meant that field.",
            field=field,
        )
    if name not in MERGE_FIELDS:
        close = difflib.get_close_matches(name, MERGE_FIELDS, n=1)
        hint = f" Did you mean {{{{ {close[0]} }}}}?" if close else ""
        raise InvalidInput(
            f"{where.capitalize()} uses {{{{ {name} }}}}, which is not a merge field.{hint} "
            f"The merge fields are: {', '.join(MERGE_FIELDS)}.",
            field=field,
        )


def _tag_name(node: Node) -> str:
    token = getattr(node, "token", None)
    contents = getattr(token, "contents", "") or type(node).__name__
    return str(contents).split()[0]


# -- filling in the fields for a case ------------------------------------------------------


@dataclass(frozen=True)
class Ombudsman:
    name: str
    name_cy: str
    website: str
    phone: str


HOUSING_OMBUDSMAN = Ombudsman(
    "Housing Ombudsman", "Ombwdsmon Tai", "www.housing-ombudsman.org.uk", "0300 111 3000"
)
LGSCO = Ombudsman(
    "Local Government and Social Care Ombudsman",
    "Ombwdsmon Llywodraeth Leol a Gofal Cymdeithasol",
    "www.lgo.org.uk",
    "0300 061 0614",
)
SPSO = Ombudsman(
    "Scottish Public Services Ombudsman",
    "Ombwdsmon Gwasanaethau Cyhoeddus yr Alban",
    "www.spso.org.uk",
    "0800 377 7330",
)
NIPSO = Ombudsman(
    "Northern Ireland Public Services Ombudsman",
    "Ombwdsmon Gwasanaethau Cyhoeddus Gogledd Iwerddon",
    "www.nipso.org.uk",
    "0800 34 34 24",
)
# The ombudsman codes name their ombudsman; any other procedure goes to the ombudsman for
# public services in the organisation's nation.
OMBUDSMAN_BY_PROCEDURE: dict[str, Ombudsman] = {
    "hos-code-2024": HOUSING_OMBUDSMAN,
    "lgsco-code": LGSCO,
    "spso-mchp": SPSO,
}
OMBUDSMAN_BY_NATION: dict[str, Ombudsman] = {
    Organisation.NationChoice.ENGLAND_AND_WALES: LGSCO,
    Organisation.NationChoice.SCOTLAND: SPSO,
    Organisation.NationChoice.NORTHERN_IRELAND: NIPSO,
}

WELSH_MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)


def long_date(day: date | None, language: str = "en") -> str:
    """24 November 2026 (or 24 Tachwedd 2026)."""
    if day is None:
        return ""
    if language == "cy":
        return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {day:%B %Y}"


def ombudsman_for(case: Case, organisation: Organisation | None = None) -> Ombudsman | None:
    procedure = case.procedure_version.procedure
    if procedure.slug in OMBUDSMAN_BY_PROCEDURE:
        return OMBUDSMAN_BY_PROCEDURE[procedure.slug]
    organisation = organisation or get_organisation()
    return OMBUDSMAN_BY_NATION.get(organisation.nation)


def context_for(case: Case, *, purpose: str, language: str, officer: Any) -> dict[str, str]:
    """Every merge field for ``case``, as text in ``language``, for a letter of ``purpose``."""
    organisation = get_organisation()
    calendar = organisation_calendar(organisation)
    today = calendar.local_date(timezone.now())
    record = StageRecord.objects.filter(case=case, number=case.stage_number).first()
    extended_to = record.extended_to if record else None
    respond_by = record.respond_by if record else case.respond_by
    due = extended_to or respond_by
    next_stage = case.procedure_version.stages.filter(number=case.stage_number + 1).first()
    escalate_by = calendar.add_working_days(today, ESCALATE_WITHIN_WORKING_DAYS)
    ombudsman = ombudsman_for(case, organisation)
    welsh = language == "cy"
    ombudsman_name = (ombudsman.name_cy if welsh else ombudsman.name) if ombudsman else ""
    fields = {
        "customer_name": case.customer.name,
        "customer_address": case.customer.address,
        "reference": case.reference,
        "case_subject": case.subject,
        "received_date": long_date(calendar.local_date(case.received_at), language),
        "acknowledge_by": long_date(record.acknowledge_by if record else None, language),
        "respond_by": long_date(respond_by, language),
        "extended_to": long_date(extended_to, language),
        "due_date": long_date(due, language),
        "stage_number": str(case.stage_number),
        "stage_name": case.stage.name,
        "procedure_name": case.procedure_version.procedure.name,
        "next_stage_number": str(next_stage.number) if next_stage else "",
        "next_stage_name": next_stage.name if next_stage else "",
        "escalate_within": (
            f"{ESCALATE_WITHIN_WORKING_DAYS} " + ("diwrnod gwaith" if welsh else "working days")
            if next_stage
            else ""
        ),
        "escalate_by": long_date(escalate_by, language) if next_stage else "",
        "ombudsman": (
            f"{ombudsman_name} ({ombudsman.website}, {ombudsman.phone})" if ombudsman else ""
        ),
        "ombudsman_name": ombudsman_name,
        "ombudsman_website": ombudsman.website if ombudsman else "",
        "ombudsman_phone": ombudsman.phone if ombudsman else "",
        "officer_name": person_name(officer),
        "service_name": case.service.name if case.service else organisation.name,
        "organisation_name": organisation.name,
        "today": long_date(today, language),
    }
    fields["what_happens_next"] = _what_happens_next(
        purpose, fields, welsh=welsh, final=next_stage is None
    )
    fields["how_to_escalate"] = _how_to_escalate(
        case,
        fields,
        welsh=welsh,
        no_reason_needed=case.procedure_version.procedure.independent_review,
    )
    return fields


def _what_happens_next(purpose: str, fields: dict[str, str], *, welsh: bool, final: bool) -> str:
    if purpose in {"stage_response", "final_response"}:
        if purpose == "final_response" or final:
            return (
                "Dyma ein hymateb terfynol, ac mae'n cwblhau ein gweithdrefn gwyno."
                if welsh
                else "This is our final response and completes our complaints procedure."
            )
        return (
            "Os ydych yn fodlon â'r ymateb hwn, nid oes angen i chi wneud dim byd arall."
            if welsh
            else "If you are satisfied with this response, you do not need to do anything more."
        )
    if welsh:
        return (
            "Byddwn yn ystyried yr hyn rydych wedi'i ddweud wrthym ac yn ymateb erbyn "
            f"{fields['due_date']}. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam "
            "a phryd y gallwch ddisgwyl ein hymateb."
        )
    return (
        f"We will look into what you have told us and reply by {fields['due_date']}. If we need "
        "more time, we will tell you why and when you can expect our reply."
    )


def _how_to_escalate(
    case: Case, fields: dict[str, str], *, welsh: bool, no_reason_needed: bool
) -> str:
    if fields["next_stage_number"]:
        if welsh:
            reason = (
                "Nid oes rhaid i chi egluro pam."
                if no_reason_needed
                else "Dim ond dweud wrthym beth sy'n dal yn eich poeni sydd angen i chi ei wneud."
            )
            return (
                "Os ydych yn dal yn anfodlon, gallwch ofyn i ni symud eich cwyn i gam "
                f"{fields['next_stage_number']} ({fields['next_stage_name']}). Rhowch wybod i ni "
                f"o fewn {fields['escalate_within']}, erbyn {fields['escalate_by']}, gan ddyfynnu "
                f"{case.reference}. {reason}"
            )
        reason = (
            "You do not have to explain why."
            if no_reason_needed
            else "You only need to tell us what you remain unhappy about."
        )
        return (
            "If you remain unhappy, you can ask us to take your complaint to stage "
            f"{fields['next_stage_number']} ({fields['next_stage_name']}). Please tell us within "
            f"{fields['escalate_within']}, by {fields['escalate_by']}, quoting {case.reference}. "
            f"{reason}"
        )
    if not fields["ombudsman"]:
        return ""
    if welsh:
        return (
            f"Os ydych yn dal yn anfodlon, gallwch ofyn i'r {fields['ombudsman_name']} ymchwilio "
            f"i'ch cwyn: {fields['ombudsman_website']}, ffôn {fields['ombudsman_phone']}."
        )
    return (
        f"If you remain unhappy, you can ask the {fields['ombudsman_name']} to look into your "
        f"complaint: {fields['ombudsman_website']}, telephone {fields['ombudsman_phone']}."
    )


def person_name(user: Any) -> str:
    """How a member of staff signs: their full name, or their username."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)
