"""Recording equality-monitoring answers, and reading them in aggregate only."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from heard.equality.models import EqualityResponse

QUESTIONS = (
    "age_band",
    "sex",
    "gender_same_as_at_birth",
    "disabled",
    "ethnicity",
    "religion",
    "sexual_orientation",
)
# Groups smaller than this are shown as "fewer than 5", so that no one can be picked out.
SUPPRESS_BELOW = 5


def record(*, contact_kind: str, answers: dict[str, str], today: date) -> EqualityResponse | None:
    """Keep the answers given (every question is optional); nothing is kept if none was answered."""
    given = {q: answers.get(q, "") for q in QUESTIONS if answers.get(q)}
    if not given:
        return None
    return EqualityResponse.objects.create(
        month=today.replace(day=1), contact_kind=contact_kind, **given
    )


def summary(*, since: date, until: date) -> dict[str, dict[str, Any]]:
    """Counts per answer for each question, with small numbers suppressed."""
    responses = EqualityResponse.objects.filter(month__gte=since.replace(day=1), month__lte=until)
    result: dict[str, dict[str, Any]] = {}
    for question in QUESTIONS:
        counts = Counter(v for v in responses.values_list(question, flat=True) if v)
        result[question] = {
            answer: (count if count >= SUPPRESS_BELOW else f"fewer than {SUPPRESS_BELOW}")
            for answer, count in sorted(counts.items())
        }
    return result
