"""The insight screen's figures, for heads of service and the complaints team (reads only).

Over the chosen months (optionally one service): themes recorded each month, the themes rising
most in the last 28 days, root causes by service, repeat contacts (failure demand) and where
service requests come from, by postcode district. Counts only: no one's details.
Compliments, comments and suggestions are not counted in contacts, repeats or hot spots.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from scipy.stats import poisson

from heard.cases.models import Case, Kind
from heard.learning.models import Classification, RepeatContact
from heard.org.calendars import organisation_calendar
from heard.org.models import Service

NOT_COUNTED = (Kind.COMPLIMENT, Kind.COMMENT, Kind.SUGGESTION)
MONTH_CHOICES = (3, 6, 12, 24)
TOP_THEMES = 8
RISING_DAYS = 28
RISING_BASELINE_PERIODS = 3
RISING_PROBABILITY = 0.01
HOT_SPOTS = 20


@dataclass(frozen=True)
class Bar:
    """One bar of an HTML/CSS chart (heard/reporting's ``_chart.html``)."""

    label: str
    width: float
    text: str


@dataclass
class Trend:
    name: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Rising:
    name: str
    recent: int
    usual: float
    probability: float

    @property
    def change(self) -> int | None:
        """Percentage change on the usual 28 days (None when there was nothing before)."""
        return round(100 * (self.recent - self.usual) / self.usual) if self.usual else None

    @property
    def beyond_chance(self) -> bool:
        return self.probability < RISING_PROBABILITY


@dataclass
class CauseRow:
    service: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class RepeatMonth:
    month: date
    contacts: int
    repeats: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.repeats / self.contacts, 1) if self.contacts else None


@dataclass(frozen=True)
class HotSpot:
    district: str
    requests: int
    before: int

    @property
    def change(self) -> int | None:
        return round(100 * (self.requests - self.before) / self.before) if self.before else None


@dataclass
class Insight:
    months: list[date]
    start: datetime
    end: datetime
    service: Service | None
    themes: list[Trend] = field(default_factory=list)
    theme_bars: list[Bar] = field(default_factory=list)
    rising: list[Rising] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    cause_rows: list[CauseRow] = field(default_factory=list)
    cause_bars: list[Bar] = field(default_factory=list)
    repeats: list[RepeatMonth] = field(default_factory=list)
    repeat_bars: list[Bar] = field(default_factory=list)
    repeats_by_service: list[tuple[str, int]] = field(default_factory=list)
    hot_spots: list[HotSpot] = field(default_factory=list)
    hot_spot_bars: list[Bar] = field(default_factory=list)
    service_requests: int = 0


def month_starts(last: date, months: int) -> list[date]:
    """The first days of the ``months`` calendar months ending with ``last``'s month, oldest first."""
    year, month = last.year, last.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def bars(pairs: list[tuple[str, float]], *, text: Any = None) -> list[Bar]:
    """Widths as a share of the largest value, each labelled with its figure."""
    largest = max((value for _, value in pairs), default=0)
    return [
        Bar(
            label,
            round(100 * value / largest, 1) if largest else 0,
            text(value) if text else f"{value:,.0f}",
        )
        for label, value in pairs
    ]


def rising_themes(
    counts: dict[str, list[int]], *, probability: float = RISING_PROBABILITY
) -> list[Rising]:
    """Themes whose count in the latest period is above the average of the periods before,
    most surprising first (Poisson tail probability of so many or more)."""
    found = []
    for name, series in counts.items():
        recent, before = series[-1], series[:-1]
        usual = sum(before) / len(before) if before else 0.0
        if recent <= usual or recent == 0:
            continue
        chance = float(poisson.sf(recent - 1, max(usual, 0.5)))
        found.append(Rising(name, recent, round(usual, 1), chance))
    found.sort(key=lambda r: (r.probability, -r.recent))
    return found


def insight(
    *, months: int = 12, service: Service | None = None, now: datetime | None = None
) -> Insight:
    """Every figure of the insight screen for the ``months`` calendar months to ``now``."""
    now = now or timezone.now()
    zone = organisation_calendar().timezone
    local_now = now.astimezone(zone)
    starts = month_starts(local_now.date(), months)
    start = datetime(starts[0].year, starts[0].month, 1, tzinfo=zone)
    result = Insight(months=starts, start=start, end=now, service=service)

    cases = Case.objects.filter(received_at__gte=start, received_at__lte=now).exclude(
        kind__in=NOT_COUNTED
    )
    if service is not None:
        cases = cases.filter(service=service)
    _themes(result, cases, zone)
    _rising(result, cases, now)
    _causes(result, cases)
    _repeats(result, cases, zone)
    _hot_spots(result, service, now)
    return result


def _month_index(months: list[date]) -> dict[date, int]:
    return {month: index for index, month in enumerate(months)}


def _as_month(value: Any, zone: Any) -> date:
    if isinstance(value, datetime):
        value = value.astimezone(zone) if value.tzinfo else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


def _themes(result: Insight, cases: QuerySet[Case], zone: Any) -> None:
    through: Any = Classification.themes.through
    rows = (
        through.objects.filter(classification__case__in=cases)
        .annotate(month=TruncMonth("classification__case__received_at", tzinfo=zone))
        .values("month", "theme__name")
        .annotate(n=Count("classification__case", distinct=True))
    )
    index = _month_index(result.months)
    by_theme: dict[str, list[int]] = defaultdict(lambda: [0] * len(result.months))
    for row in rows:
        month = _as_month(row["month"], zone)
        if month in index:
            by_theme[row["theme__name"]][index[month]] += row["n"]
    trends = sorted(
        (Trend(name, counts) for name, counts in by_theme.items()), key=lambda t: -t.total
    )
    result.themes = trends[:TOP_THEMES]
    result.theme_bars = bars([(t.name, t.total) for t in result.themes])


def _rising(result: Insight, cases: QuerySet[Case], now: datetime) -> None:
    """The last 28 days against each of the three 28-day periods before."""
    through = Classification.themes.through
    periods = RISING_BASELINE_PERIODS + 1
    earliest = now - timedelta(days=RISING_DAYS * periods)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * periods)
    base = Case.objects.filter(received_at__gt=earliest, received_at__lte=now).exclude(
        kind__in=NOT_COUNTED
    )
    if result.service is not None:
        base = base.filter(service=result.service)
    for name, received_at in (
        through.objects.filter(classification__case__in=base)
        .values_list("theme__name", "classification__case__received_at")
        .distinct()
    ):
        age = (now - received_at).days // RISING_DAYS
        counts[name][periods - 1 - min(age, periods - 1)] += 1
    result.rising = rising_themes(dict(counts))[:10]


def _causes(result: Insight, cases: QuerySet[Case]) -> None:
    rows = (
        Classification.objects.filter(case__in=cases)
        .values("case__service__name", "root_cause__name")
        .annotate(n=Count("case", distinct=True))
    )
    table: dict[str, Counter[str]] = defaultdict(Counter)
    causes: Counter[str] = Counter()
    for row in rows:
        service = row["case__service__name"] or "No service given"
        cause = row["root_cause__name"] or "Not known yet"
        table[service][cause] += row["n"]
        causes[cause] += row["n"]
    result.causes = [name for name, _ in causes.most_common()]
    result.cause_rows = sorted(
        (
            CauseRow(service, [counter[c] for c in result.causes])
            for service, counter in table.items()
        ),
        key=lambda r: -r.total,
    )
    result.cause_bars = bars([(name, n) for name, n in causes.most_common()])


def _repeats(result: Insight, cases: QuerySet[Case], zone: Any) -> None:
    index = _month_index(result.months)
    contacts = [0] * len(result.months)
    repeats = [0] * len(result.months)
    for row in (
        cases.annotate(month=TruncMonth("received_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("id"))
    ):
        month = _as_month(row["month"], zone)
        if month in index:
            contacts[index[month]] += row["n"]
    repeated = RepeatContact.objects.filter(case__in=cases)
    for row in (
        repeated.annotate(month=TruncMonth("case__received_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("id"))
    ):
        month = _as_month(row["month"], zone)
        if month in index:
            repeats[index[month]] += row["n"]
    result.repeats = [
        RepeatMonth(month, contacts[i], repeats[i]) for i, month in enumerate(result.months)
    ]
    result.repeat_bars = bars([(f"{m.month:%b %Y}", m.repeats) for m in result.repeats])
    result.repeats_by_service = [
        (row["case__service__name"] or "No service given", row["n"])
        for row in repeated.values("case__service__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    ]


def _hot_spots(result: Insight, service: Service | None, now: datetime) -> None:
    """Service requests by postcode district, in the chosen months and the same length before."""
    length = now - result.start
    requests = Case.objects.filter(kind=Kind.SERVICE_REQUEST).exclude(customer__postcode="")
    if service is not None:
        requests = requests.filter(service=service)

    def by_district(since: datetime, until: datetime) -> Counter[str]:
        counts: Counter[str] = Counter()
        for postcode, n in (
            requests.filter(received_at__gte=since, received_at__lt=until)
            .values_list("customer__postcode")
            .annotate(n=Count("id"))
        ):
            counts[postcode.split()[0]] += n
        return counts

    current = by_district(result.start, now + timedelta(microseconds=1))
    before = by_district(result.start - length, result.start)
    result.service_requests = sum(current.values())
    result.hot_spots = [
        HotSpot(district, n, before.get(district, 0))
        for district, n in current.most_common(HOT_SPOTS)
    ]
    result.hot_spot_bars = bars([(h.district, h.requests) for h in result.hot_spots])
