"""Calendars are kept by their settings: the same settings give the same (immutable) calendar,
changed settings a new one."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from heard.workdays.engine import Calendar


def test_the_same_settings_give_the_same_calendar():
    one = Calendar.for_nation("england-and-wales", closure_days=[date(2026, 12, 29)])
    other = Calendar.for_nation("england-and-wales", closure_days=(date(2026, 12, 29),))

    assert one is other


def test_a_closure_day_added_gives_a_new_calendar_that_counts_it():
    before = Calendar.for_nation("england-and-wales")
    after = Calendar.for_nation("england-and-wales", closure_days=[date(2026, 11, 27)])
    monday = datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Europe/London"))

    assert after is not before
    assert date(2026, 11, 27) in after.non_working_days
    assert date(2026, 11, 27) not in before.non_working_days
    # Friday 27 November is a working day in one and not the other.
    assert before.add_working_days(monday.date(), 4) == date(2026, 11, 27)
    assert after.add_working_days(monday.date(), 4) == date(2026, 11, 30)


def test_time_zone_and_cut_off_are_part_of_the_settings():
    london = Calendar.for_nation("england-and-wales")
    earlier = Calendar.for_nation("england-and-wales", cutoff=time(16, 0))
    dublin = Calendar.for_nation("england-and-wales", timezone="Europe/Dublin")

    assert len({id(london), id(earlier), id(dublin)}) == 3
    assert earlier.cutoff == time(16, 0) and str(dublin.timezone) == "Europe/Dublin"
