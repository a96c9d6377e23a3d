"""Reporting periods: a month, a quarter, a financial year or a calendar year.

A period is a range of local dates (inclusive) with a key that survives a URL or a CSV cell:
``2026-03`` (a month), ``2026-Q1`` (January to March), ``FY2025`` (1 April 2025 to
31 March 2026, the year UK public bodies report on) and ``2026`` (a calendar year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from heard.core.errors import InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_FINANCIAL_YEAR = re.compile(r"^FY(\d{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date  # inclusive
    label: str

    def instants(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants [from, to) covering the period's local days."""
        start = datetime.combine(self.start, time(0), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        return start, end

    def months(self) -> list[Period]:
        result = []
        day = self.start.replace(day=1)
        while day <= self.end:
            result.append(month(day.year, day.month))
            day = _next_month(day)
        return result

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return parse(_previous_key(self.key))


def month(year: int, number: int) -> Period:
    start = date(year, number, 1)
    return Period(
        f"{year}-{number:02d}", start, _next_month(start) - timedelta(days=1), f"{start:%B %Y}"
    )


def quarter(year: int, number: int) -> Period:
    start = date(year, 3 * number - 2, 1)
    end = month(year, 3 * number).end
    return Period(f"{year}-Q{number}", start, end, f"{start:%B} to {end:%B %Y}")


def financial_year(year: int) -> Period:
    return Period(
        f"FY{year}", date(year, 4, 1), date(year + 1, 3, 31), f"April {year} to March {year + 1}"
    )


def calendar_year(year: int) -> Period:
    return Period(str(year), date(year, 1, 1), date(year, 12, 31), str(year))


def parse(key: str) -> Period:
    """The period a key names; InvalidInput with an example otherwise."""
    text = (key or "").strip()
    if found := _MONTH.match(text):
        year, number = int(found[1]), int(found[2])
        if 1 <= number <= 12 and year >= 1900:
            return month(year, number)
    elif found := _QUARTER.match(text):
        return quarter(int(found[1]), int(found[2]))
    elif found := _FINANCIAL_YEAR.match(text):
        return financial_year(int(found[1]))
    elif found := _YEAR.match(text):
        return calendar_year(int(found[1]))
    raise InvalidInput(
        f"“{text}” is not a period. Give a month (2026-03), a quarter (2026-Q1), "
        "a financial year (FY2025) or a calendar year (2026).",
        field="period",
    )


def containing(day: date, kind: str = "quarter") -> Period:
    """The month, quarter or financial year that ``day`` falls in."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "financial_year":
        return financial_year(day.year if day.month >= 4 else day.year - 1)
    if kind == "year":
        return calendar_year(day.year)
    return quarter(day.year, (day.month - 1) // 3 + 1)


def recent(today: date, *, count: int = 8, kind: str = "quarter") -> list[Period]:
    """The period containing ``today`` and the ``count - 1`` before it, newest first."""
    periods = [containing(today, kind)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _previous_key(key: str) -> str:
    if found := _MONTH.match(key):
        year, number = int(found[1]), int(found[2])
        return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
    if found := _QUARTER.match(key):
        year, number = int(found[1]), int(found[2])
        return f"{year - 1}-Q4" if number == 1 else f"{year}-Q{number - 1}"
    if found := _FINANCIAL_YEAR.match(key):
        return f"FY{int(found[1]) - 1}"
    return str(int(key) - 1)
