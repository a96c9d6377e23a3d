"""Reads other capabilities need from correspondence."""

from __future__ import annotations

from django.db.models import Q


def awaiting_check_q() -> Q:
    """Cases with a letter or email waiting for its quality check (a filter over Case)."""
    return Q(pk__in=[])
