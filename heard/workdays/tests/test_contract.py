"""The working-day contract (DOMAIN.md §3), rule by rule, with real GOV.UK dates."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from heard.workdays.engine import Calendar, bank_holidays

LONDON = ZoneInfo("Europe/London")
ENGLAND = Calendar.for_nation("england-and-wales")
SCOTLAND = Calendar.for_nation("scotland")
NORTHERN_IRELAND = Calendar.for_nation("northern-ireland")


def local(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


# -- the daily cut-off ---------------------------------------------------------------------


def test_contact_before_cutoff_is_received_that_day():
    assert ENGLAND.deemed_received(local(2026, 11, 24, 16, 59)) == date(2026, 11, 24)


def test_contact_exactly_at_cutoff_is_still_received_that_day():
    assert ENGLAND.deemed_received(local(2026, 11, 24, 17, 0, 0)) == date(2026, 11, 24)


def test_complaint_received_after_cutoff_counts_from_next_working_day():
    assert ENGLAND.deemed_received(local(2026, 11, 24, 17, 0, 1)) == date(2026, 11, 25)


def test_friday_after_cutoff_counts_from_monday():
    assert ENGLAND.deemed_received(local(2026, 11, 20, 18, 30)) == date(2026, 11, 23)


def test_the_cutoff_is_configurable():
    early = Calendar.for_nation("england-and-wales", cutoff=time(16, 0))
    assert early.deemed_received(local(2026, 11, 24, 16, 30)) == date(2026, 11, 25)
    assert ENGLAND.deemed_received(local(2026, 11, 24, 16, 30)) == date(2026, 11, 24)


def test_contact_just_after_midnight_counts_that_day():
    assert ENGLAND.deemed_received(local(2026, 11, 24, 0, 5)) == date(2026, 11, 24)


# -- weekends ------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [28, 29])
def test_weekend_contact_is_deemed_received_on_monday(day):
    assert ENGLAND.deemed_received(local(2026, 11, day, 10, 0)) == date(2026, 11, 30)


def test_day_zero_is_receipt_and_n_working_days_end_on_the_nth_day_after():
    # Tuesday 24 Nov is day 0; days 1..5 are Wed 25, Thu 26, Fri 27, Mon 30, Tue 1 Dec.
    assert ENGLAND.add_working_days(date(2026, 11, 24), 5) == date(2026, 12, 1)
    assert ENGLAND.add_working_days(date(2026, 11, 24), 1) == date(2026, 11, 25)
    assert ENGLAND.add_working_days(date(2026, 11, 24), 0) == date(2026, 11, 24)


def test_counting_from_a_saturday_makes_monday_day_one():
    assert ENGLAND.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert ENGLAND.add_working_days(date(2026, 11, 28), 10) == date(2026, 12, 11)


def test_working_days_left_and_overdue_by():
    assert ENGLAND.working_days_after(date(2026, 11, 23), date(2026, 11, 25)) == 2
    assert ENGLAND.working_days_after(date(2026, 11, 27), date(2026, 11, 30)) == 1
    assert ENGLAND.working_days_after(date(2026, 11, 30), date(2026, 11, 27)) == -1


# -- each nation's bank holidays --------------------------------------------------------------


def test_england_easter_monday_is_not_a_working_day():
    assert not ENGLAND.is_working_day(date(2026, 4, 6))
    # Thursday 2 April, day 0: Good Friday and Easter Monday are skipped.
    assert ENGLAND.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_scotland_works_easter_monday_but_not_2_january_or_st_andrews_day():
    assert SCOTLAND.is_working_day(date(2026, 4, 6))
    assert not SCOTLAND.is_working_day(date(2026, 1, 2))
    assert ENGLAND.is_working_day(date(2026, 1, 2))
    # St Andrew's Day, Monday 30 November 2026.
    assert not SCOTLAND.is_working_day(date(2026, 11, 30))
    assert SCOTLAND.deemed_received(local(2026, 11, 28, 10, 0)) == date(2026, 12, 1)


def test_scotland_summer_holiday_is_early_august_and_englands_is_late_august():
    assert not SCOTLAND.is_working_day(date(2026, 8, 3))
    assert ENGLAND.is_working_day(date(2026, 8, 3))
    assert not ENGLAND.is_working_day(date(2026, 8, 31))
    assert SCOTLAND.is_working_day(date(2026, 8, 31))


def test_northern_ireland_has_st_patricks_day_and_the_twelfth():
    assert not NORTHERN_IRELAND.is_working_day(date(2026, 3, 17))
    assert ENGLAND.is_working_day(date(2026, 3, 17))
    # 12 July 2026 is a Sunday, so the holiday is Monday 13 July.
    assert not NORTHERN_IRELAND.is_working_day(date(2026, 7, 13))
    assert NORTHERN_IRELAND.add_working_days(date(2026, 7, 10), 1) == date(2026, 7, 14)


def test_christmas_substitute_days_are_skipped():
    # Christmas 2026 is a Friday; Boxing Day (Saturday) is substituted by Monday 28 December.
    assert not ENGLAND.is_working_day(date(2026, 12, 25))
    assert not ENGLAND.is_working_day(date(2026, 12, 28))
    # Wednesday 23 December, day 0: 24 (1), 29 (2), 30 (3), 31 (4), 4 January (5).
    assert ENGLAND.add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)


def test_bank_holidays_come_from_the_shipped_list_for_every_nation():
    for nation in ("england-and-wales", "scotland", "northern-ireland"):
        days = bank_holidays(nation)
        assert date(2026, 12, 25) in days
        assert min(days).year <= 2018 and max(days).year >= 2027


def test_an_unknown_nation_is_refused():
    with pytest.raises(ValueError, match="Unknown nation"):
        bank_holidays("wessex")


# -- closure days and added holidays --------------------------------------------------------


def test_closure_days_are_not_working_days():
    shutdown = Calendar.for_nation(
        "england-and-wales",
        closure_days=[date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)],
    )
    assert shutdown.deemed_received(local(2026, 12, 29, 9, 0)) == date(2027, 1, 4)
    assert shutdown.add_working_days(date(2026, 12, 24), 1) == date(2027, 1, 4)


def test_an_administrator_can_add_a_bank_holiday_the_feed_lacks():
    added = Calendar.for_nation("england-and-wales", extra_holidays=[date(2029, 5, 7)])
    assert added.is_working_day(date(2029, 5, 4))
    assert not added.is_working_day(date(2029, 5, 7))
    assert added.add_working_days(date(2029, 5, 4), 1) == date(2029, 5, 8)


# -- time zones: BST and GMT ----------------------------------------------------------------


def test_summer_time_moves_the_cutoff_an_hour_earlier_in_utc():
    # 16:30 UTC in July is 17:30 BST: after the cut-off.
    assert ENGLAND.deemed_received(datetime(2026, 7, 21, 16, 30, tzinfo=UTC)) == date(2026, 7, 22)
    # 16:30 UTC in January is 16:30 GMT: on time.
    assert ENGLAND.deemed_received(datetime(2026, 1, 20, 16, 30, tzinfo=UTC)) == date(2026, 1, 20)


def test_late_evening_utc_can_be_the_next_local_day_in_summer():
    # 23:30 UTC on Thursday 30 July is 00:30 BST on Friday 31 July.
    assert ENGLAND.deemed_received(datetime(2026, 7, 30, 23, 30, tzinfo=UTC)) == date(2026, 7, 31)


def test_the_night_the_clocks_go_forward():
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026; Monday is the next working day.
    assert ENGLAND.deemed_received(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) == date(2026, 3, 30)
    # 16:30 UTC on Monday 30 March is 17:30 BST: after the cut-off.
    assert ENGLAND.deemed_received(datetime(2026, 3, 30, 16, 30, tzinfo=UTC)) == date(2026, 3, 31)
    # The Friday before, 16:30 UTC is 16:30 GMT: on time.
    assert ENGLAND.deemed_received(datetime(2026, 3, 27, 16, 30, tzinfo=UTC)) == date(2026, 3, 27)


def test_the_night_the_clocks_go_back():
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026.
    assert ENGLAND.deemed_received(datetime(2026, 10, 23, 16, 30, tzinfo=UTC)) == date(2026, 10, 26)
    assert ENGLAND.deemed_received(datetime(2026, 10, 26, 16, 30, tzinfo=UTC)) == date(2026, 10, 26)
    assert ENGLAND.local_date(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == date(2026, 10, 25)


def test_another_time_zone_is_judged_in_its_own_local_time():
    belfast_in_new_york = Calendar.for_nation("northern-ireland", timezone="America/New_York")
    # 21:30 UTC on 24 November is 16:30 in New York: on time.
    assert belfast_in_new_york.deemed_received(datetime(2026, 11, 24, 21, 30, tzinfo=UTC)) == date(
        2026, 11, 24
    )
    assert belfast_in_new_york.deemed_received(datetime(2026, 11, 24, 22, 30, tzinfo=UTC)) == date(
        2026, 11, 25
    )


def test_a_time_without_an_offset_is_refused():
    with pytest.raises(ValueError, match="UTC offset"):
        ENGLAND.deemed_received(datetime(2026, 11, 24, 10, 0))


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError):
        ENGLAND.add_working_days(date(2026, 11, 24), -1)
