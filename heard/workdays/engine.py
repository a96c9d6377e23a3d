"""Working days, deemed receipt and deadlines, for one date or a million at once.

The contract (DOMAIN.md §3):

* times are stored in UTC and judged in the organisation's time zone;
* working days exclude weekends, the GOV.UK bank holidays of the organisation's nation
  and the organisation's own closure days;
* a contact received on a non-working day, or after the daily cut-off, is deemed received
  at the start of the next working day (a contact at exactly the cut-off is on time);
* the day of (deemed) receipt is day 0, and "within N working days" means by the end of
  the Nth working day after day 0.

Single-value methods are thin wrappers over the vectorised ones so that the rule exists
once, and bulk recomputation never loops per case or per day in Python.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from govuk_bank_holidays.bank_holidays import BankHolidays

DateArray = npt.NDArray[np.datetime64]

# Offsets are looked up per UTC quarter-hour: every time zone in the tz database changes
# offset on a 15-minute boundary, so each bucket has exactly one offset.
_BUCKET = np.timedelta64(15, "m")


class Nation(enum.StrEnum):
    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


@functools.cache
def bank_holidays(nation: str) -> tuple[date, ...]:
    """The official GOV.UK bank holidays of a nation, from the copy the package ships.

    Nothing is fetched at run time: ``use_cached_holidays`` reads the JSON file inside
    the ``govuk-bank-holidays`` package. Administrators add later dates themselves.
    """
    if nation not in set(Nation):
        raise ValueError(f"Unknown nation {nation!r}; expected one of {', '.join(Nation)}.")
    holidays = BankHolidays(use_cached_holidays=True).get_holidays(division=nation)
    return tuple(sorted(h["date"] for h in holidays))


def _as_day_array(days: Iterable[date]) -> DateArray:
    return np.array(sorted(set(days)), dtype="datetime64[D]")


@dataclass(frozen=True)
class Calendar:
    """An organisation's working-day calendar."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    cutoff: time = time(17, 0)
    non_working_days: tuple[date, ...] = ()

    @classmethod
    def for_nation(
        cls,
        nation: str = Nation.ENGLAND_AND_WALES,
        *,
        timezone: str | ZoneInfo = "Europe/London",
        cutoff: time = time(17, 0),
        closure_days: Iterable[date] = (),
        extra_holidays: Iterable[date] = (),
    ) -> Calendar:
        """Bank holidays of ``nation`` plus closure days and administrator-added holidays.

        The same settings give the same calendar object, kept (a calendar is immutable): the
        merged and sorted days off and numpy's working-day calendar built from them are not
        worked out again for every contact recorded. A closure day added or removed changes
        the settings, and so gives a new calendar.
        """
        zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
        return _calendar(nation, zone, cutoff, frozenset(closure_days) | set(extra_holidays))

    @functools.cached_property
    def _busdaycalendar(self) -> np.busdaycalendar:
        return np.busdaycalendar(weekmask="1111100", holidays=_as_day_array(self.non_working_days))

    # -- vectorised ---------------------------------------------------------------

    def local_times(self, instants: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
        """UTC instants (datetime64, naive UTC) as local wall-clock times (datetime64[us])."""
        utc = np.asarray(instants, dtype="datetime64[us]")
        known = ~np.isnat(utc)
        if not known.all():  # NaT (no time recorded) stays NaT
            result = utc.copy()
            result[known] = self.local_times(utc[known])
            return result
        if utc.size == 0:
            return utc
        buckets = utc.astype("datetime64[m]")
        buckets = buckets - (buckets - np.datetime64(0, "m")) % _BUCKET
        unique, inverse = np.unique(buckets, return_inverse=True)
        offsets = np.array(
            [self._offset_minutes(b) for b in unique.astype("datetime64[m]").tolist()],
            dtype="timedelta64[m]",
        )
        return utc + offsets[inverse.reshape(utc.shape)]

    def _offset_minutes(self, utc_naive: datetime) -> int:
        aware = utc_naive.replace(tzinfo=UTC)
        offset = aware.astimezone(self.timezone).utcoffset() or timedelta(0)
        return int(offset.total_seconds() // 60)

    def deemed_received_many(self, instants: npt.ArrayLike) -> DateArray:
        """The deemed day of receipt (day 0) for each UTC instant."""
        local = self.local_times(instants)
        local_day = local.astype("datetime64[D]")
        seconds_into_day = (local - local_day).astype("timedelta64[us]")
        cutoff = np.timedelta64(
            (self.cutoff.hour * 3600 + self.cutoff.minute * 60 + self.cutoff.second) * 10**6
            + self.cutoff.microsecond,
            "us",
        )
        # NaT compares False everywhere and busday_offset keeps it NaT.
        after_cutoff = seconds_into_day > cutoff
        working = np.is_busday(local_day, busdaycal=self._busdaycalendar)
        # A working day after the cut-off moves on one day; a non-working day rolls forward.
        step = np.where(working & after_cutoff, 1, 0)
        return np.busday_offset(local_day, step, roll="forward", busdaycal=self._busdaycalendar)

    def add_working_days_many(self, day0: npt.ArrayLike, n: npt.ArrayLike) -> DateArray:
        """The end of the Nth working day after each day 0.

        Day 0 may itself be a non-working day (an acknowledgement sent on a Saturday):
        the first working day after it is day 1, so the count starts from the last working
        day on or before it.
        """
        starts = np.asarray(day0, dtype="datetime64[D]")
        counts = np.asarray(n, dtype=np.int64)
        if np.any(counts < 0):
            raise ValueError("A number of working days cannot be negative.")
        moved = np.busday_offset(starts, counts, roll="backward", busdaycal=self._busdaycalendar)
        return np.where(counts == 0, starts, moved)

    def working_days_after_many(
        self, start: npt.ArrayLike, end: npt.ArrayLike
    ) -> npt.NDArray[np.int64]:
        """Working days in (start, end]; negative when end is before start."""
        one = np.timedelta64(1, "D")
        s = np.asarray(start, dtype="datetime64[D]") + one
        e = np.asarray(end, dtype="datetime64[D]") + one
        # numpy counts a reversed range differently; count (end, start] and negate instead.
        forward = np.busday_count(
            np.minimum(s, e), np.maximum(s, e), busdaycal=self._busdaycalendar
        )
        return np.where(e >= s, forward, -forward)

    # -- one at a time ----------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        return bool(np.is_busday(np.datetime64(day, "D"), busdaycal=self._busdaycalendar))

    def local_date(self, at: datetime) -> date:
        """The calendar date of ``at`` in the organisation's time zone."""
        return _require_aware(at).astimezone(self.timezone).date()

    def deemed_received(self, at: datetime) -> date:
        """The day a contact received at ``at`` counts as received (day 0)."""
        utc = _require_aware(at).astimezone(UTC).replace(tzinfo=None)
        result = self.deemed_received_many(np.array([utc], dtype="datetime64[us]"))
        return _to_date(result[0])

    def add_working_days(self, day0: date, n: int) -> date:
        """The last day of "within ``n`` working days" counted from day 0."""
        result = self.add_working_days_many(np.array([day0], dtype="datetime64[D]"), [n])
        return _to_date(result[0])

    def working_days_after(self, start: date, end: date) -> int:
        """Working days in (start, end]: days left until a deadline, or days overdue."""
        return int(
            self.working_days_after_many(
                np.array([start], dtype="datetime64[D]"), np.array([end], dtype="datetime64[D]")
            )[0]
        )

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, otherwise the next one."""
        result = np.busday_offset(
            np.datetime64(day, "D"), 0, roll="forward", busdaycal=self._busdaycalendar
        )
        return _to_date(result)

    def working_days_in(self, start: date, end: date) -> Sequence[date]:
        """Every working day from ``start`` to ``end`` inclusive."""
        days = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)
        mask = np.is_busday(days, busdaycal=self._busdaycalendar)
        return [_to_date(d) for d in days[mask]]


def _require_aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("A time must carry its UTC offset (time zone).")
    return at


def _to_date(value: np.datetime64) -> date:
    result = value.astype("datetime64[D]").item()
    assert isinstance(result, date)
    return result


@functools.lru_cache(maxsize=32)
def _calendar(nation: str, zone: ZoneInfo, cutoff: time, added: frozenset[date]) -> Calendar:
    days = set(bank_holidays(nation)) | added
    return Calendar(timezone=zone, cutoff=cutoff, non_working_days=tuple(sorted(days)))
