"""The lessons register: what complaints taught us, followed through to a change, and the
items published as "you said, we did" (no personal data: the text is checked before it goes out)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from heard.cases.models import Case
from heard.core.errors import InvalidInput
from heard.learning import access
from heard.learning.models import Lesson, LessonStatus, Theme
from heard.org.access import visible_cases

# What must never be published: references, email addresses, phone numbers, postcodes.
PERSONAL = [
    (re.compile(r"\b[A-Z]{2,3}-\d{4}-\d{3,}\b", re.I), "a case reference"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "an email address"),
    (re.compile(r"(?:\+44\s?|\b0)\d[\d\s]{8,12}\d\b"), "a phone number"),
    (re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.I), "a postcode"),
]


@transaction.atomic(durable=True)
def save_lesson(
    lesson: Lesson | None,
    *,
    by: Any,
    title: str,
    you_said: str,
    we_did: str = "",
    notes: str = "",
    themes: Iterable[Theme] = (),
    case_references: Iterable[str] = (),
    service: Any = None,
    owner: Any = None,
    due_on: date | None = None,
    status: str = LessonStatus.IDENTIFIED,
    changed_on: date | None = None,
    evidence: str = "",
    public: bool = False,
) -> Lesson:
    """Record a new lesson, or change one, checking it can be published if it is to be."""
    access.require_edit_lessons(by)
    title, you_said = (title or "").strip(), (you_said or "").strip()
    if not title:
        raise InvalidInput("Give the lesson a short title.", field="title")
    if not you_said:
        raise InvalidInput("Say what customers told us.", field="you_said")
    if status not in LessonStatus.values:
        raise InvalidInput("Choose where the change has got to.", field="status")
    if status == LessonStatus.DONE and changed_on is None:
        raise InvalidInput("Give the date the change was made.", field="changed_on")
    if status == LessonStatus.DONE and not (evidence or "").strip():
        raise InvalidInput("Say how we know the change was made (the evidence).", field="evidence")
    if public:
        if not (we_did or "").strip():
            raise InvalidInput(
                "Say what we did (or are doing) before publishing: it is the 'we did' half.",
                field="we_did",
            )
        if status == LessonStatus.NOT_GOING_AHEAD:
            raise InvalidInput(
                "A change that is not going ahead cannot be published as 'we did'.", field="public"
            )
        for field, text in (("title", title), ("you_said", you_said), ("we_did", we_did)):
            _check_publishable(text, field)
    cases = _cases(by, case_references)
    lesson = lesson or Lesson(created_by=by)
    for name, value in {
        "title": title,
        "you_said": you_said,
        "we_did": (we_did or "").strip(),
        "notes": (notes or "").strip(),
        "service": service,
        "owner": owner,
        "due_on": due_on,
        "status": status,
        "changed_on": changed_on,
        "evidence": (evidence or "").strip(),
        "public": public,
    }.items():
        setattr(lesson, name, value)
    lesson.save()
    lesson.themes.set(list(themes))
    lesson.cases.set(cases)
    return lesson


def published() -> QuerySet[Lesson]:
    """What the public page shows: lessons marked public, changes made first."""
    return (
        Lesson.objects.filter(public=True)
        .exclude(status=LessonStatus.NOT_GOING_AHEAD)
        .prefetch_related("themes")
        .order_by("status", "-changed_on", "-updated_at")
    )


def _check_publishable(text: str, field: str) -> None:
    for pattern, what in PERSONAL:
        if pattern.search(text or ""):
            raise InvalidInput(
                f"This text is published, and it seems to contain {what}. Take it out: the "
                "public page must not identify anyone.",
                field=field,
            )


def _cases(user: Any, references: Iterable[str]) -> list[Case]:
    wanted = [r.strip().upper() for r in references if r and r.strip()]
    if not wanted:
        return []
    found = {c.reference: c for c in visible_cases(user).filter(reference__in=wanted)}
    missing = [r for r in wanted if r not in found]
    if missing:
        raise InvalidInput(
            f"There is no case {missing[0]} that you can see. Check the reference.", field="cases"
        )
    return [found[r] for r in dict.fromkeys(wanted)]
