"""When contacts arrive: a seasonal and weekly shape, and the time of day by channel.

The seasonal shapes of street-scene services come from real reports made by the public to
UK councils. Contains FixMyStreet data from mySociety, made available under the ODC
Attribution License. Each figure is one month's reports over that year's monthly mean,
averaged over 2012-2019 (file fixmystreet-monthly-by-council.csv.gz, every council): all
themes together, and the three themes with the strongest seasons (the data set publishes
theme codes, not names: B25 peaks in late winter like road-surface reports, B28 in the dark
months like street-lighting reports, B17 in summer like grass and vegetation reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from heard.cases.models import Channel, Kind
from heard.demo.content import ServiceSpec

FMS_ALL = (1.160, 1.135, 1.182, 0.965, 0.876, 0.993, 0.984, 0.905, 0.910, 0.945, 0.988, 0.956)
FMS_B25 = (1.50, 1.79, 1.79, 1.25, 0.91, 0.79, 0.63, 0.56, 0.53, 0.58, 0.71, 0.95)
FMS_B28 = (1.56, 1.06, 0.90, 0.63, 0.49, 0.50, 0.56, 0.69, 0.97, 1.45, 1.73, 1.47)
FMS_B17 = (0.51, 0.48, 0.51, 0.53, 1.08, 2.04, 1.82, 1.49, 1.28, 1.05, 0.70, 0.50)

_all, _b25, _b28, _b17 = (np.array(s) for s in (FMS_ALL, FMS_B25, FMS_B28, FMS_B17))
SEASONS: dict[str, npt.NDArray[np.float64]] = {
    "street": _all,
    "roads": 0.6 * _b25 + 0.4 * _b28,  # potholes and street lights together
    "summer": 1 + 0.7 * (_b17 - 1),
    "winter": 1 + 0.5 * (_b28 - 1),  # heating and damp: a softer dark-months peak (our guess)
    # Not from the data: annual bills go out in March; school offers in spring, transport in September.
    "billing": np.array([0.9, 0.95, 1.6, 1.45, 1.0, 0.9, 0.85, 0.85, 0.9, 0.9, 0.85, 0.8]),
    "schools": np.array([0.8, 0.8, 1.4, 1.3, 0.9, 0.9, 0.8, 0.9, 1.6, 1.1, 0.8, 0.7]),
    "flat": np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0, 1.0, 0.88]),
}

# Monday..Sunday; days the council is closed (bank holidays, Christmas) count as a Sunday.
WEEKDAY = np.array([1.22, 1.10, 1.05, 1.0, 0.86, 0.30, 0.26])
CLOSED_DAY = 0.26
GROWTH = 0.08  # contacts grow by this much over the two years

KINDS: tuple[str, ...] = (
    Kind.COMPLAINT,
    Kind.SERVICE_REQUEST,
    Kind.DISSATISFACTION,
    Kind.COMPLIMENT,
    Kind.COMMENT,
    Kind.SUGGESTION,
    Kind.MEMBER_ENQUIRY,
    Kind.MP_ENQUIRY,
)
KIND_SHARE = np.array([0.45, 0.25, 0.07, 0.08, 0.04, 0.03, 0.055, 0.025])

CHANNELS: tuple[str, ...] = (
    Channel.WEB,
    Channel.EMAIL,
    Channel.PHONE,
    Channel.LETTER,
    Channel.IN_PERSON,
    Channel.SOCIAL_MEDIA,
    Channel.VIA_REPRESENTATIVE,
)
WEB, EMAIL, PHONE, LETTER, IN_PERSON, SOCIAL, VIA_REPRESENTATIVE = range(len(CHANNELS))
# Share of each channel per kind on a working day; on other days only the online channels.
CHANNEL_SHARE = np.array(
    [
        [34, 24, 26, 6, 4, 6, 0],  # complaint
        [45, 10, 34, 1, 5, 5, 0],  # service request
        [4, 8, 60, 0, 20, 8, 0],  # dissatisfaction
        [25, 40, 14, 10, 5, 6, 0],  # compliment
        [45, 25, 10, 5, 0, 15, 0],  # comment
        [55, 25, 0, 5, 5, 10, 0],  # suggestion
        [0, 0, 0, 0, 0, 0, 1],  # member enquiry
        [0, 0, 0, 0, 0, 0, 1],  # MP enquiry
    ],
    dtype=float,
)
ONLINE = np.array([1, 1, 0, 0, 0, 1, 1], dtype=float)

# Relative weight of each local hour of the day, by how the contact arrives. Nothing arrives
# between midnight and 06:00, which keeps every time clear of clock changes.
_HOURS = np.arange(24)
OFFICE = np.where((_HOURS >= 8) & (_HOURS < 17), 1.0, 0.0) * np.array(
    [0] * 8 + [6, 11, 11, 10, 8, 8, 8, 7, 5] + [0] * 7, dtype=float
)
OFFICE_VISIT = np.where((_HOURS >= 9) & (_HOURS < 16), 1.0, 0.0)
POST = np.where((_HOURS >= 9) & (_HOURS < 12), 1.0, 0.0)
ONLINE_WORKING = np.array([0] * 6 + [1, 3, 6, 8, 8, 7, 6, 7, 6, 6, 5, 4, 4, 5, 5, 4, 3, 2], float)
ONLINE_CLOSED = np.array([0] * 7 + [1, 3, 5, 6, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 4, 3, 2], float)


@dataclass
class Arrivals:
    """Contacts sorted by time of receipt: naive UTC times and indices into the tables above."""

    received: npt.NDArray[np.datetime64]  # datetime64[s], UTC
    service: npt.NDArray[np.int64]
    kind: npt.NDArray[np.int64]
    channel: npt.NDArray[np.int64]


class LocalClock:
    """Local wall-clock times to UTC, for times between 06:00 and midnight (no clock change)."""

    def __init__(self, zone: ZoneInfo, first: date, last: date) -> None:
        self.first = np.datetime64(first, "D")
        days = (last - first).days + 1
        self.offsets = np.array(
            [
                int(
                    (
                        datetime.combine(
                            first + timedelta(days=i), time(12), tzinfo=zone
                        ).utcoffset()
                        or timedelta(0)
                    ).total_seconds()
                )
                for i in range(days)
            ],
            dtype="timedelta64[s]",
        )

    def to_utc(self, local: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
        local = local.astype("datetime64[s]")
        index = (local.astype("datetime64[D]") - self.first).astype(np.int64)
        index = np.clip(index, 0, len(self.offsets) - 1)
        return local - self.offsets[index]


def arrivals(
    rng: np.random.Generator,
    total: int,
    *,
    first_day: date,
    days: int,
    services: tuple[ServiceSpec, ...],
    busdays: np.busdaycalendar,
    clock: LocalClock,
) -> Arrivals:
    """``total`` contacts over ``days`` days from ``first_day``, shaped like a council's year."""
    day = np.datetime64(first_day, "D") + np.arange(days)
    day_of_year = (day - day.astype("datetime64[Y]")).astype(np.int64)
    weekday = (day.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    working = np.is_busday(day, busdaycal=busdays)
    per_day = np.where(working, WEEKDAY[weekday], np.minimum(WEEKDAY[weekday], CLOSED_DAY))
    per_day = per_day * (1 + GROWTH * np.arange(days) / days)
    # Month shapes interpolated between mid-month points, wrapping round the year.
    middles = np.array([15 + 30.44 * m for m in range(-1, 13)])
    weights = np.empty((days, len(services)))
    for s, spec in enumerate(services):
        months = SEASONS[spec.season]
        shape = np.interp(day_of_year, middles, np.concatenate([months[-1:], months, months[:1]]))
        weights[:, s] = per_day * spec.weight * shape
    counts = rng.multinomial(total, (weights / weights.sum()).ravel()).reshape(weights.shape)
    day_index, service = np.nonzero(counts)
    repeats = counts[day_index, service]
    day_index = np.repeat(day_index, repeats)
    service = np.repeat(service, repeats)

    kind = rng.choice(len(KINDS), size=total, p=KIND_SHARE)
    open_day = working[day_index]
    channel = np.empty(total, dtype=np.int64)
    for k in range(len(KINDS)):
        for is_open in (True, False):
            chosen = (kind == k) & (open_day == is_open)
            share = CHANNEL_SHARE[k] if is_open else CHANNEL_SHARE[k] * ONLINE
            channel[chosen] = rng.choice(
                len(CHANNELS), size=int(chosen.sum()), p=share / share.sum()
            )

    hour = np.empty(total, dtype=np.int64)
    profiles = {
        "office": OFFICE,
        "visit": OFFICE_VISIT,
        "post": POST,
        "online": ONLINE_WORKING,
        "closed": ONLINE_CLOSED,
    }
    profile = np.where(
        ~open_day,
        4,
        np.select(
            [
                channel == PHONE,
                channel == IN_PERSON,
                channel == LETTER,
                channel == VIA_REPRESENTATIVE,
            ],
            [0, 1, 2, 0],
            default=3,
        ),
    )
    for p, weights_by_hour in enumerate(profiles.values()):
        chosen = profile == p
        hour[chosen] = rng.choice(
            24, size=int(chosen.sum()), p=weights_by_hour / weights_by_hour.sum()
        )
    seconds = hour * 3600 + rng.integers(3600, size=total)
    local = (day[day_index].astype("datetime64[s]") + seconds.astype("timedelta64[s]")).astype(
        "datetime64[s]"
    )
    received = clock.to_utc(local)
    order = np.argsort(received, kind="stable")
    return Arrivals(received[order], service[order], kind[order], channel[order])
