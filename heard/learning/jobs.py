"""The learning area's periodic jobs, in the shape of heard.schedules.jobs.JOBS: plain
functions of ``now`` so that tests can move the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heard.core.errors import InvalidInput


def raise_early_warnings(now: datetime, schedule: Any = None) -> int:
    """Record the week's repeat contacts (failure demand, counted on the insight screen), then
    check every theme, service and area for a rise; returns how many warnings were raised."""
    from heard.learning.early_warnings import raise_early_warnings as run
    from heard.learning.repeats import flag_repeat_contacts

    flag_repeat_contacts(now=now)
    return len(run(now=now))


def retrain_theme_model(now: datetime, schedule: Any = None) -> int:
    """Train theme suggestions afresh; returns the number of cases trained on (0 if too few)."""
    from heard.learning.suggestions import train_theme_model

    try:
        return train_theme_model(now=now).examples
    except InvalidInput:
        return 0
