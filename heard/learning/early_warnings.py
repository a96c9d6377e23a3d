"""Early warnings: a rise in contacts about a theme, a service or an area the week it starts.

The rule (heard.learning.detection, measured on real data in docs/learning-quality.md), for
each series (one theme, one service, or one postcode district):

* count the contacts received in the last 7 days, and in each of the
  ``HEARD_LEARNING_WARNING_BASELINE_WEEKS`` weeks before (12 by default); service requests
  are counted by the day instead: the last 24 hours, against the same 24 hours of the week in
  each of those weeks (so a quiet Sunday is not the baseline of a busy Monday);
* take the average of those weeks as the expected count λ (at least 0.5, so that a series
  that was quiet is not alarmed by two contacts);
* if nothing had changed, the count would vary as the baseline did: a Poisson distribution
  with mean λ, or, where the baseline weeks varied more than that (their variance above their
  mean), a negative binomial distribution with the baseline's mean and variance. Raise a
  warning when the count is at least ``HEARD_LEARNING_WARNING_MIN_COUNT`` (5) and so many or
  more would happen by chance with probability under ``HEARD_LEARNING_WARNING_PROBABILITY``
  (0.001). Real series vary more than any such model allows, so this is a measure of
  surprise more than a promised false-alarm rate: docs/learning-quality.md measures both on
  real FixMyStreet counts;
* a rise already warned of within the last 7 days (for service requests, the day before) is
  the same rise: it is not raised again.

Compliments, comments and suggestions are not counted. A case counts under the themes
recorded on it, or else under the theme Heard suggests for it with at least 50% confidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from heard.cases.models import Case, Kind
from heard.core.errors import InvalidInput
from heard.learning import access
from heard.learning import detection as poisson_rule
from heard.learning.defaults import EARLY_WARNING_TEMPLATE
from heard.learning.detection import Detection
from heard.learning.models import (
    Classification,
    Dimension,
    EarlyWarning,
    Period,
    Theme,
    WarningStatus,
)
from heard.notify.services import queue_message
from heard.org.calendars import get_organisation, organisation_calendar
from heard.org.models import Service

NOT_COUNTED = (Kind.COMPLIMENT, Kind.COMMENT, Kind.SUGGESTION)
CASES_KEPT = 200


def _rule(probability: float | None, min_count: int | None) -> dict[str, Any]:
    return {
        "probability": probability
        if probability is not None
        else settings.HEARD_LEARNING_WARNING_PROBABILITY,
        "min_count": min_count
        if min_count is not None
        else settings.HEARD_LEARNING_WARNING_MIN_COUNT,
    }


def detect(
    observed: int,
    baseline: Sequence[int],
    *,
    probability: float | None = None,
    min_count: int | None = None,
) -> Detection | None:
    """The rule above for one series: a Detection when ``observed`` is beyond chance, else None."""
    return poisson_rule.detect(observed, baseline, **_rule(probability, min_count))


def scan(
    counts: Sequence[int],
    *,
    baseline_weeks: int = 12,
    probability: float | None = None,
    min_count: int | None = None,
) -> list[int]:
    """The weeks of a weekly series in which a new rise starts (a continuing rise counts once)."""
    return poisson_rule.scan(counts, baseline_weeks=baseline_weeks, **_rule(probability, min_count))


def raise_early_warnings(*, now: datetime | None = None) -> list[EarlyWarning]:
    """Check every theme, service and area for a rise; record and tell.

    Service requests are checked by the day (the last 24 hours against the same day of the
    week in each of the baseline weeks); other contacts by the week.
    """
    now = now or timezone.now()
    weeks = settings.HEARD_LEARNING_WARNING_BASELINE_WEEKS
    start = now - timedelta(days=7 * (weeks + 1))
    if not Case.objects.filter(received_at__lt=start).exists():
        return []  # not enough history to know what is usual
    rows = list(
        Case.objects.filter(received_at__gt=start, received_at__lte=now)
        .exclude(kind__in=NOT_COUNTED)
        .values_list("id", "received_at", "service_id", "customer__postcode", "kind")
    )
    if not rows:
        return []
    period_end = organisation_calendar().local_date(now)
    raised = []
    for period in (Period.WEEK, Period.DAY):
        chosen = [r for r in rows if (r[4] == Kind.SERVICE_REQUEST) == (period == Period.DAY)]
        if chosen:
            raised += _check(chosen, period=period, weeks=weeks, now=now, period_end=period_end)
    return raised


def periods_ago(age_days: np.ndarray, *, period: str, weeks: int) -> np.ndarray:
    """Which count each contact falls in: 0 is the period just ended, 1..weeks the baseline,
    -1 not counted (by the day, only the same day of the week counts towards the baseline)."""
    if period == Period.WEEK:
        return np.minimum((age_days // 7).astype(np.int64), weeks)
    days = (age_days // 1).astype(np.int64)
    slot = np.where(days % 7 == 0, days // 7, -1)
    return np.where(slot > weeks, -1, slot)


def _check(
    rows: list[tuple[Any, ...]], *, period: str, weeks: int, now: datetime, period_end: Any
) -> list[EarlyWarning]:
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    age_days = np.array([(now - r[1]).total_seconds() / 86400 for r in rows])
    slot = periods_ago(age_days, period=period, weeks=weeks)
    series: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, (_, _, service_id, postcode, _kind) in enumerate(rows):
        if slot[index] < 0:
            continue
        if service_id:
            series[(Dimension.SERVICE, str(service_id))].append(index)
        if postcode:
            series[(Dimension.AREA, postcode.split()[0])].append(index)
    counted = ids[slot >= 0]
    position = {int(case_id): index for index, case_id in enumerate(ids.tolist())}
    for slug, indices in _themes_of(counted).items():
        series[(Dimension.THEME, slug)].extend(position[int(counted[i])] for i in indices)

    length = 7 if period == Period.WEEK else 1
    raised = []
    for (dimension, key), indices in series.items():
        members = np.asarray(indices, dtype=np.int64)
        counts = np.bincount(slot[members], minlength=weeks + 1)
        detection = detect(int(counts[0]), counts[1:].tolist())
        if detection is None:
            continue
        recent = EarlyWarning.objects.filter(
            dimension=dimension,
            key=_key(dimension, key),
            period=period,
            period_end__gt=period_end - timedelta(days=length + (1 if period == Period.DAY else 0)),
        )
        if recent.exists():
            continue  # the same rise, already warned of
        current = ids[members[slot[members] == 0]].tolist()
        warning = _record(
            dimension, key, detection, current, now=now, period_end=period_end, period=period
        )
        if warning is not None:
            raised.append(warning)
    return raised


@transaction.atomic(durable=True)
def decide(warning: EarlyWarning, *, by: Any, status: str, note: str = "") -> EarlyWarning:
    """Acknowledge a warning (it is being looked into) or dismiss it (with the reason)."""
    access.require_decide_warnings(by)
    if status not in (WarningStatus.ACKNOWLEDGED, WarningStatus.DISMISSED):
        raise InvalidInput("Choose whether to acknowledge or dismiss the warning.", field="status")
    note = (note or "").strip()
    if status == WarningStatus.DISMISSED and not note:
        raise InvalidInput(
            "Say why you are dismissing the warning, so others know it was looked at.",
            field="note",
        )
    warning = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    warning.status = status
    warning.note = note
    warning.decided_by = by
    warning.decided_at = timezone.now()
    warning.save(update_fields=["status", "note", "decided_by", "decided_at"])
    return warning


def explain(
    label: str, detection: Detection, *, weeks: int, period_end: Any, period: str = Period.WEEK
) -> str:
    unit = "weeks" if period == Period.WEEK else "days like it"
    chance = (
        f"less than once in 10,000 {unit}"
        if detection.probability < 0.0001
        else f"about once in {round(1 / max(detection.probability, 1e-12)):,} {unit}"
    )
    when = f"{period_end.day} {period_end:%B %Y}"
    if period == Period.DAY:
        what = (
            f"{detection.observed} service requests about {label} in the 24 hours to {when}, "
            f"against an average of {detection.expected:.1f} on the same day of the week over "
            f"the {weeks} weeks before."
        )
    else:
        what = (
            f"{detection.observed} contacts about {label} in the 7 days to {when}, against an "
            f"average of {detection.expected:.1f} a week over the {weeks} weeks before."
        )
    return (
        f"{what} If nothing had changed, {detection.observed} or more would happen by chance "
        f"{chance} ({_model(detection)}, p = {detection.probability:.2g}); Heard warns at "
        f"{detection.threshold} or more."
    )


def _model(detection: Detection) -> str:
    if detection.model == poisson_rule.NEGATIVE_BINOMIAL:
        return "allowing for how much the weeks before varied: negative binomial"
    return "Poisson"


def _themes_of(ids: np.ndarray) -> dict[str, list[int]]:
    """Row indices per theme slug: recorded themes, else a confident suggestion."""
    from heard.learning.suggestions import top_themes

    position = {int(case_id): index for index, case_id in enumerate(ids.tolist())}
    by_theme: dict[str, list[int]] = defaultdict(list)
    classified: set[int] = set()
    through = Classification.themes.through
    id_list = list(position)
    for start in range(0, len(id_list), 5000):
        for case_id, slug in (
            through.objects.filter(classification__case_id__in=id_list[start : start + 5000])
            .values_list("classification__case_id", "theme__slug")
            .distinct()
        ):
            by_theme[slug].append(position[case_id])
            classified.add(case_id)
    unclassified = [case_id for case_id in id_list if case_id not in classified]
    for start in range(0, len(unclassified), 5000):
        chunk = unclassified[start : start + 5000]
        texts = dict(
            (pk, f"{subject}\n{description}")
            for pk, subject, description in Case.objects.filter(pk__in=chunk).values_list(
                "pk", "subject", "description"
            )
        )
        for case_id, slug in zip(chunk, top_themes([texts[c] for c in chunk]), strict=True):
            if slug:
                by_theme[slug].append(position[case_id])
    return by_theme


def _key(dimension: str, key: str) -> str:
    if dimension == Dimension.SERVICE:
        service = Service.objects.filter(pk=int(key)).values_list("slug", flat=True).first()
        return service or key
    return key


def _record(
    dimension: str,
    key: str,
    detection: Detection,
    case_ids: list[int],
    *,
    now: datetime,
    period_end: Any,
    period: str = Period.WEEK,
) -> EarlyWarning | None:
    theme = service = None
    if dimension == Dimension.THEME:
        theme = Theme.objects.filter(slug=key).first()
        label = theme.name if theme else key
    elif dimension == Dimension.SERVICE:
        service = Service.objects.select_related("head").get(pk=int(key))
        label = service.name
    else:
        label = f"the {key} area"
    weeks = settings.HEARD_LEARNING_WARNING_BASELINE_WEEKS
    with transaction.atomic():
        warning, created = EarlyWarning.objects.get_or_create(
            dimension=dimension,
            key=service.slug if service else key,
            period=period,
            period_end=period_end,
            defaults={
                "label": label if period == Period.WEEK else f"Service requests: {label}",
                "theme": theme,
                "service": service,
                "period_start": period_end - timedelta(days=6 if period == Period.WEEK else 0),
                "observed": detection.observed,
                "baseline_weeks": weeks,
                "expected": detection.expected,
                "threshold": detection.threshold,
                "probability": detection.probability,
                "explanation": explain(
                    label, detection, weeks=weeks, period_end=period_end, period=period
                ),
                "raised_at": now,
            },
        )
        if not created:
            return None
        warning.cases.set(case_ids[:CASES_KEPT])
        _tell_heads(warning, service, case_ids)
    return warning


def _tell_heads(warning: EarlyWarning, service: Service | None, case_ids: list[int]) -> None:
    """The head of the service concerned; for a theme or area, the heads of the services most affected."""
    cases = list(
        Case.objects.filter(pk__in=case_ids[:CASES_KEPT])
        .select_related("service__head")
        .order_by("-received_at")
    )
    if service is not None:
        services = [service]
    else:
        counts = Counter(c.service for c in cases if c.service is not None)
        services = [s for s, _ in counts.most_common(3)]
    url = settings.HEARD_PUBLIC_URL + reverse("learning:warning", args=[warning.pk])
    lines = [f"{c.reference} — {c.subject}" for c in cases[:20]]
    organisation = get_organisation().name
    for each in services:
        head = each.head
        if head is None or not head.email:
            continue
        queue_message(
            key=f"early-warning:{warning.pk}:{head.pk}",
            template_key=EARLY_WARNING_TEMPLATE,
            recipient=head.email,
            context={
                "head_name": head.get_full_name() or head.username,
                "label": warning.label,
                "explanation": warning.explanation,
                "cases": lines,
                "url": url,
                "organisation": organisation,
            },
        )
