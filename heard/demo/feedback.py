"""What the demo council's customers said back: satisfaction surveys and equality monitoring.

Without them the demo's dashboard showed no satisfaction figures and its equality report no
rows. Both are written after the cases, for the cases of this run only (ids above
``first_id``), with the same seed giving the same answers:

* **surveys** — about one closed complaint in seven answered the satisfaction survey, a few
  days after it closed. How they rated the outcome follows the outcome (an upheld complaint
  is rated better than one not upheld), timeliness is rated lower for complaints that went on
  to a later stage, and some left a comment;
* **equality monitoring** — about one contact in fifteen (complaints and service requests,
  as the portal offers the questions after each) answered some of the optional questions,
  anonymously, by month and kind of contact. The answers are drawn to resemble the adult
  population of England and Wales at the 2021 Census (ONS), with "prefer not to say" and
  skipped questions as real forms get them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import TruncMonth

from heard.cases.models import Case, Kind, Outcome, StageRecord, Status
from heard.demo.writer import analyse, next_id, write_rows
from heard.equality.models import EqualityResponse
from heard.portal.models import SurveyResponse

SURVEY_SHARE = 0.15
EQUALITY_SHARE = 0.065
SKIPPED = 0.03  # a question left blank

COMMENTS = {
    "good": [
        "Thank you for sorting this out so quickly.",
        "The officer who rang me was helpful and kept me informed.",
        "Clear letter, and it explained what would happen next.",
    ],
    "poor": [
        "I had to chase twice before anyone replied.",
        "The response did not deal with the main thing I complained about.",
        "It took far longer than the date I was given.",
    ],
}

# Shares of each answer (the last is "prefer not to say"), after ONS Census 2021 for England
# and Wales (adults; ethnic group, religion, disability under the Equality Act, sexual
# orientation and gender identity as asked there), rounded.
ANSWERS: dict[str, tuple[list[str], list[float]]] = {
    "age_band": (["under_25", "25_44", "45_64", "65_plus"], [9, 31, 35, 21]),
    "sex": (["female", "male"], [52, 44]),
    "gender_same_as_at_birth": (["yes", "no"], [94.5, 0.5]),
    "disabled": (["yes", "no"], [19, 75]),
    "ethnicity": (["white", "asian", "black", "mixed", "other"], [78.5, 9, 4, 2.8, 2]),
    "religion": (
        ["christian", "none", "muslim", "hindu", "sikh", "jewish", "buddhist", "other"],
        [44, 36, 6.2, 1.6, 0.9, 0.5, 0.5, 0.6],
    ),
    "sexual_orientation": (["straight", "gay_lesbian", "bisexual", "other"], [88, 1.5, 1.3, 0.3]),
}
PREFER_NOT = "prefer_not_to_say"
EQUALITY_KINDS = (Kind.COMPLAINT, Kind.SERVICE_REQUEST)


def add_feedback(
    *, first_id: int, now: Any, seed: int, say: Callable[[str], None] = lambda _: None
) -> tuple[int, int]:
    """Surveys and equality answers for the cases with ids from ``first_id``; how many of each."""
    rng = np.random.default_rng([seed, 4])
    surveys = _surveys(rng, first_id=first_id, now=now)
    say(f"  {surveys:,} satisfaction surveys answered")
    equality = _equality(rng, first_id=first_id)
    say(f"  {equality:,} equality-monitoring answers given")
    analyse(SurveyResponse, EqualityResponse)
    return surveys, equality


def _surveys(rng: np.random.Generator, *, first_id: int, now: Any) -> int:
    final_outcome = StageRecord.objects.filter(
        case_id=OuterRef("pk"), number=OuterRef("stage_number")
    ).values("outcome")[:1]
    rows = list(
        Case.objects.filter(
            id__gte=first_id,
            kind=Kind.COMPLAINT,
            status=Status.CLOSED,
            closed_at__isnull=False,
            survey_response__isnull=True,
        )
        # A fixed share of the closed complaints, chosen by id (the same for a seed's cases).
        .annotate(pick=F("id") % 1000)
        .filter(pick__lt=int(SURVEY_SHARE * 1000))
        .annotate(outcome=Subquery(final_outcome))
        .order_by("id")
        .values_list("id", "closed_at", "stage_number", "outcome")
    )
    if not rows:
        return 0
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    closed = np.array([_naive_utc(r[1]) for r in rows], dtype="datetime64[us]")
    stage = np.array([r[2] for r in rows], dtype=np.int64)
    outcome = np.array([r[3] or "" for r in rows], dtype=object)
    upheld = np.isin(outcome, [Outcome.UPHELD, Outcome.PARTLY_UPHELD])
    escalated = stage > 1
    size = len(rows)

    def ratings(mean: np.ndarray | float) -> np.ndarray:
        drawn = rng.normal(mean, 1.0, size)
        return np.clip(np.rint(drawn), 1, 5).astype(np.int64)

    outcome_rating = ratings(np.where(upheld, 3.9, 2.4))
    handling = ratings(np.where(escalated, 2.8, 3.6))
    timeliness = ratings(np.where(escalated, 2.6, 3.5))
    ease = ratings(3.9)
    said = rng.random(size) < 0.25
    liked = (outcome_rating + handling + timeliness) >= 10
    comments = [
        str(rng.choice(COMMENTS["good" if good else "poor"])) if s else ""
        for s, good in zip(said.tolist(), liked.tolist(), strict=True)
    ]
    # Answered 1-14 days after closing, by the hour before the history ends.
    ceiling = np.datetime64(_naive_utc(now - timedelta(hours=1)), "us")
    after = rng.integers(1, 15, size).astype("timedelta64[D]") + np.timedelta64(10, "h")
    submitted = np.where(closed + after < ceiling, closed + after, ceiling)
    start = next_id(SurveyResponse)
    return write_rows(
        SurveyResponse,
        {
            "id": np.arange(start, start + size, dtype=np.int64),
            "case_id": ids,
            "handling": handling,
            "timeliness": timeliness,
            "outcome": outcome_rating,
            "ease_of_contact": ease,
            "comments": comments,
            "submitted_at": submitted,
        },
    )


def _naive_utc(moment: datetime | None) -> datetime:
    if moment is None:
        raise ValueError("a closed case has its closing time")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _equality(rng: np.random.Generator, *, first_id: int) -> int:
    counts = (
        Case.objects.filter(id__gte=first_id, kind__in=EQUALITY_KINDS)
        .annotate(month=TruncMonth("received_at"))
        .order_by()
        .values("month", "kind")
        .annotate(contacts=Count("id"))
        .order_by("month", "kind")
    )
    months: list[date] = []
    kinds: list[str] = []
    for row in counts:
        answered = int(rng.binomial(row["contacts"], EQUALITY_SHARE))
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        months += [month.replace(day=1)] * answered
        kinds += [row["kind"]] * answered
    size = len(months)
    if size == 0:
        return 0
    columns: dict[str, Any] = {}
    for question, (values, shares) in ANSWERS.items():
        choices = [*values, PREFER_NOT]
        weights = np.array([*shares, max(0.0, 100.0 - sum(shares))], dtype=float)
        answer = rng.choice(np.array(choices, dtype=object), size, p=weights / weights.sum())
        answer[rng.random(size) < SKIPPED] = ""
        columns[question] = answer.tolist()
    start = next_id(EqualityResponse)
    return write_rows(
        EqualityResponse,
        {
            "id": np.arange(start, start + size, dtype=np.int64),
            "month": np.array(months, dtype="datetime64[D]"),
            "contact_kind": kinds,
            **columns,
        },
    )
