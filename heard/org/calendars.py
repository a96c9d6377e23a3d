"""The organisation's working-day calendar, built from its settings.

Read afresh on each call: two small queries (the organisation; its closure days and added
bank holidays together). The expensive parts are kept: the shipped bank-holiday list by
:func:`heard.workdays.engine.bank_holidays`, and the calendar built from the same settings by
:meth:`heard.workdays.engine.Calendar.for_nation`. Never stale, whichever process or screen
changed a closure day: changed days are different settings, so a different calendar.
"""

from __future__ import annotations

from heard.org.models import AddedBankHoliday, ClosureDay, Organisation
from heard.workdays.engine import Calendar


def get_organisation() -> Organisation:
    """The deployment's organisation, created with defaults on first use."""
    organisation, _ = Organisation.objects.get_or_create(pk=1)
    return organisation


def organisation_calendar(organisation: Organisation | None = None) -> Calendar:
    """The working-day calendar of the organisation as it is now."""
    organisation = organisation or get_organisation()
    # Closure days and added bank holidays both only stop the clock: one query for the two.
    days_off = (
        ClosureDay.objects.order_by()
        .values_list("date", flat=True)
        .union(
            AddedBankHoliday.objects.filter(nation=organisation.nation)
            .order_by()
            .values_list("date", flat=True)
        )
    )
    return Calendar.for_nation(
        organisation.nation,
        timezone=organisation.timezone,
        cutoff=organisation.working_day_cutoff,
        closure_days=days_off,
    )
