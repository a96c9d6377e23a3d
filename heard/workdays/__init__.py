"""The working-day engine (DOMAIN.md §3 "Working days (the contract)").

Plain Python and numpy: no models, no database. :mod:`heard.org.calendars` builds a
:class:`Calendar` from the organisation's settings.
"""

from heard.workdays.engine import Calendar, Nation, bank_holidays

__all__ = ["Calendar", "Nation", "bank_holidays"]
