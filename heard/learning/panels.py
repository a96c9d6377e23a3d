"""What the staff screens include: the triage suggestions, the case panel and the themes form.

heard.staff calls these; each returns the context of its partial template.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict

from heard.cases.models import Case, Customer
from heard.core.errors import DomainError
from heard.learning import access, repeats
from heard.learning.classification import classification_of, record_classification
from heard.learning.forms import ClassificationForm
from heard.learning.models import Classification
from heard.learning.related import related_cases
from heard.learning.suggestions import suggest_themes
from heard.org.access import Permission, may, roles_of, visible_cases


def triage_suggestions_context(
    user: Any,
    text: str,
    *,
    customer: Customer | None = None,
    data: QueryDict | None = None,
    contact: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Context of ``learning/_triage_suggestions.html``: suggested themes, the themes form,
    related cases, and whether this customer contacted us about the same thing recently.

    ``contact`` is what has been typed so far (name, email, phone, address, service, category).
    """
    suggestions = suggest_themes(text)
    customer = customer or repeats.customer_from(contact)
    repeat = None
    if customer is not None:
        repeat = repeats.repeat_of(
            customer=customer,
            contact=repeats.Contact(
                _number(contact, "service"),
                _number(contact, "category"),
                frozenset(s.theme.slug for s in suggestions if s.confidence >= 0.5),
                text,
            ),
            within=visible_cases(user),
        )
    return {
        "learning_suggestions": suggestions,
        "learning_form": ClassificationForm(data, suggestions=suggestions),
        "learning_related": related_cases(user, text=text, customer=customer),
        "learning_repeat": repeat,
    }


def _number(data: Mapping[str, Any] | None, name: str) -> int | None:
    value = str((data or {}).get(name) or "")
    return int(value) if value.isdigit() else None


def case_panel_context(user: Any, case: Case, *, data: QueryDict | None = None) -> dict[str, Any]:
    """Context of ``learning/_case_panel.html``: themes recorded, suggestions, related cases and why."""
    classification = classification_of(case)
    suggestions = suggest_themes(f"{case.subject}\n{case.description}")
    initial: dict[str, Any] = {}
    if classification is not None:
        initial = {
            "themes": [t.slug for t in classification.themes.all()],
            "root_cause": classification.root_cause.slug if classification.root_cause else "",
        }
    return {
        "learning_case": case,
        "learning_classification": classification,
        "learning_suggestions": suggestions,
        "learning_form": ClassificationForm(data, suggestions=suggestions, initial=initial),
        "learning_may_classify": bool(roles_of(user) & access.CLASSIFY),
        "learning_may_link": may(user, Permission.LINK),
        "learning_may_merge": may(user, Permission.MERGE_CUSTOMERS),
        "learning_related": related_cases(user, case),
        "learning_repeat": repeats.repeat_of(case, within=visible_cases(user)),
    }


def save_classification(form: ClassificationForm, case: Case, *, by: Any) -> Classification:
    """Save a valid :class:`ClassificationForm` for the case's current stage.

    Raises the services' InvalidInput / NotPermitted / NotFound with a message to show.
    """
    data = form.cleaned_data
    return record_classification(
        case,
        by=by,
        themes=data["themes"],
        root_cause=data.get("root_cause") or None,
        suggested=data.get("suggested") or [],
    )


def record_triage_themes(data: QueryDict, case: Case, *, by: Any) -> str:
    """Record the themes ticked at triage on the new case; '' when none were ticked or they
    were recorded, else a message saying why they were not (the contact itself is recorded)."""
    if not data.getlist("learning-themes"):
        return ""
    form = ClassificationForm(data)
    if not form.is_valid():
        return "The themes were not recorded: " + " ".join(
            str(e) for errors in form.errors.values() for e in errors
        )
    try:
        save_classification(form, case, by=by)
    except DomainError as error:
        return f"The themes were not recorded: {error.message}"
    return ""
