"""The organisation's working-day calendar, built from its settings.

Built afresh on each call: two small queries, while the expensive part (the shipped
bank-holiday list) is cached by :func:`heard.workdays.engine.bank_holidays`. Never stale,
whichever process or screen changed a closure day.
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
    return Calendar.for_nation(
        organisation.nation,
        timezone=organisation.timezone,
        cutoff=organisation.working_day_cutoff,
        closure_days=ClosureDay.objects.values_list("date", flat=True),
        extra_holidays=AddedBankHoliday.objects.filter(nation=organisation.nation).values_list(
            "date", flat=True
        ),
    )
