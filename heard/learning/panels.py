"""What the staff screens include: the triage suggestions, the case panel and the themes form.

heard.staff calls these; each returns the context of its partial template.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from heard.cases.models import Case, Customer
from heard.learning import access
from heard.learning.classification import classification_of, record_classification
from heard.learning.forms import ClassificationForm
from heard.learning.models import Classification
from heard.learning.related import related_cases
from heard.learning.suggestions import suggest_themes
from heard.org.access import Permission, may, roles_of


def triage_suggestions_context(
    user: Any,
    text: str,
    *,
    customer: Customer | None = None,
    data: QueryDict | None = None,
) -> dict[str, Any]:
    """Context of ``learning/_triage_suggestions.html``: suggested themes, the themes form, related cases."""
    suggestions = suggest_themes(text)
    return {
        "learning_suggestions": suggestions,
        "learning_form": ClassificationForm(data, suggestions=suggestions),
        "learning_related": related_cases(user, text=text, customer=customer),
    }


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
        "learning_related": related_cases(user, case),
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
