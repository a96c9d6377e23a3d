"""Form fields shared by the apps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import Model
from django.forms.models import ModelChoiceIterator


class _ReadOnce(ModelChoiceIterator):
    """The choices, read with one plain query the first time they are asked for.

    Django's iterator counts the rows (a query) before a template loops over them, then reads
    them through a server-side cursor on PostgreSQL (declare, fetch, close: more round trips),
    again each time it is looped over. A short list of services or categories is better read
    once.
    """

    def __init__(self, field: forms.ModelChoiceField[Any]) -> None:
        super().__init__(field)
        self._rows: list[Model] | None = None

    def _read(self) -> list[Model]:
        if self._rows is None:
            self._rows = list(self.queryset.all())
        return self._rows

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self._read():
            yield self.choice(row)

    def __len__(self) -> int:
        return len(self._read()) + (1 if self.field.empty_label is not None else 0)


class ShortListChoiceField(forms.ModelChoiceField):
    """A choice of one row from a short table (services, categories): each time a page loops
    over its choices they are read with one plain query."""

    iterator = _ReadOnce
