"""Reads of correspondence, for these screens and for other capabilities."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from heard.cases.models import Case, CaseEvent
from heard.core.errors import NotPermitted
from heard.correspondence.models import Letter, LetterStatus, LetterTemplate, Purpose
from heard.org import access


def awaiting_check_q() -> Q:
    """Cases with a letter or email waiting for its quality check (a filter over Case)."""
    return Q(pk__in=Letter.objects.filter(status=LetterStatus.AWAITING_CHECK).values("case_id"))


def letters_on(case: Case) -> QuerySet[Letter]:
    """Every letter and email on the case, newest first."""
    return case.letters.select_related("author", "checker", "sent_by", "stage", "message")


def templates_for(case: Case) -> QuerySet[LetterTemplate]:
    """The templates an officer may choose: the customer's language first, then in the order of a case."""
    language = getattr(case.customer, "language", "en")
    return LetterTemplate.objects.filter(active=True).order_by(
        models.Case(
            models.When(language=language, then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        ),
        models.Case(
            *(
                models.When(purpose=purpose, then=models.Value(position))
                for position, purpose in enumerate(Purpose.values)
            ),
            output_field=models.IntegerField(),
        ),
        "medium",
        "name",
    )


def check_required(letter: Letter) -> bool:
    """Whether the letter's stage asks for a second person to check it before it is sent."""
    return bool(letter.stage.quality_check)


def may_check(user: Any, letter: Letter) -> bool:
    """A second person who could answer the case's current stage may check the letter."""
    if letter.author_id == user.pk:
        return False
    try:
        access.require_may_respond(user, letter.case)
    except NotPermitted:
        return False
    return True


def awaiting_check_for(user: Any) -> list[Letter]:
    """Letters waiting for a check that ``user`` may do, the longest waiting first."""
    letters = (
        Letter.objects.filter(
            status=LetterStatus.AWAITING_CHECK, case__in=access.visible_cases(user)
        )
        .exclude(author=user)
        .select_related("case__stage", "case__customer", "author", "stage")
        .order_by("submitted_at", "pk")
    )
    return [letter for letter in letters if may_check(user, letter)]


def history_of(letter: Letter) -> QuerySet[CaseEvent]:
    """The steps taken with this letter, from the case's action log."""
    return CaseEvent.objects.filter(case_id=letter.case_id, after__letter=letter.pk).select_related(
        "actor"
    )
