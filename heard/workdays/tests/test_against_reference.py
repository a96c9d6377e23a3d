"""The vectorised engine agrees with a slow, obviously correct day-by-day reading of the contract."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from heard.workdays.engine import Calendar, bank_holidays

NATIONS = ["england-and-wales", "scotland", "northern-ireland"]
CLOSURES = [date(2025, 12, 29), date(2025, 12, 30), date(2026, 12, 29)]


class Reference:
    """The contract read literally, one day at a time, with zoneinfo."""

    def __init__(self, nation: str, zone: str, cutoff: time, closures: list[date]) -> None:
        self.closed = set(bank_holidays(nation)) | set(closures)
        self.zone = ZoneInfo(zone)
        self.cutoff = cutoff

    def working(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.closed

    def deemed(self, at: datetime) -> date:
        local = at.astimezone(self.zone)
        day = local.date()
        if self.working(day) and local.time() <= self.cutoff:
            return day
        day += timedelta(days=1)
        while not self.working(day):
            day += timedelta(days=1)
        return day

    def add(self, day0: date, n: int) -> date:
        day, counted = day0, 0
        while counted < n:
            day += timedelta(days=1)
            if self.working(day):
                counted += 1
        return day


instants = st.datetimes(
    min_value=datetime(2016, 1, 1), max_value=datetime(2028, 12, 1), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(
    at=instants,
    nation=st.sampled_from(NATIONS),
    zone=st.sampled_from(["Europe/London", "Europe/Dublin", "America/New_York"]),
    cutoff=st.sampled_from([time(17, 0), time(16, 30), time(12, 0)]),
    n=st.integers(min_value=0, max_value=40),
)
def test_single_values_match_the_reference(at, nation, zone, cutoff, n):
    calendar = Calendar.for_nation(nation, timezone=zone, cutoff=cutoff, closure_days=CLOSURES)
    reference = Reference(nation, zone, cutoff, CLOSURES)
    deemed = calendar.deemed_received(at)
    assert deemed == reference.deemed(at)
    assert calendar.is_working_day(deemed)
    assert deemed >= at.astimezone(ZoneInfo(zone)).date()
    due = calendar.add_working_days(deemed, n)
    assert due == reference.add(deemed, n)
    assert calendar.working_days_after(deemed, due) == n


def test_bulk_results_match_the_reference_over_thousands_of_instants():
    rng = np.random.default_rng(2026)
    start = datetime(2015, 1, 1, tzinfo=UTC).timestamp()
    end = datetime(2028, 12, 1, tzinfo=UTC).timestamp()
    seconds = rng.uniform(start, end, 4000).astype(np.int64)
    counts = rng.integers(0, 30, 4000)
    calendar = Calendar.for_nation("england-and-wales", closure_days=CLOSURES)
    reference = Reference("england-and-wales", "Europe/London", time(17, 0), CLOSURES)

    utc = seconds.astype("datetime64[s]").astype("datetime64[us]")
    deemed = calendar.deemed_received_many(utc)
    due = calendar.add_working_days_many(deemed, counts)

    for i, second in enumerate(seconds.tolist()):
        at = datetime.fromtimestamp(second, tz=UTC)
        expected = reference.deemed(at)
        assert deemed[i].item() == expected, at
        assert due[i].item() == reference.add(expected, int(counts[i])), at


def test_bulk_handles_missing_times():
    calendar = Calendar.for_nation("scotland")
    times = np.array(["NaT", "2026-11-30T10:00:00"], dtype="datetime64[us]")
    deemed = calendar.deemed_received_many(times)
    assert np.isnat(deemed[0])
    assert deemed[1].item() == date(2026, 12, 1)  # St Andrew's Day is a Scottish holiday


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2016, 1, 1), max_value=date(2028, 6, 1)), n=st.integers(0, 60))
def test_adding_more_working_days_never_gives_an_earlier_date(day, n):
    calendar = Calendar.for_nation("northern-ireland")
    assert calendar.add_working_days(day, n) <= calendar.add_working_days(day, n + 1)
    if n > 0:
        assert calendar.is_working_day(calendar.add_working_days(day, n))
