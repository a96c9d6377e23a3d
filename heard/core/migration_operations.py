"""Migration operations for a deploy that migrates while the previous version still serves.

A plain ``CREATE INDEX`` makes every write to the table wait until the index is built: on a
table of a million cases, seconds of public submissions and lifecycle steps held up (more on a
larger one). :class:`AddIndexWhileServing` builds the index with PostgreSQL's ``CREATE INDEX
CONCURRENTLY``, which lets writes go on; on SQLite (the embedded default: one process, no
deploy under load) it is a plain ``CREATE INDEX``. A migration using it must say
``atomic = False`` (PostgreSQL cannot build an index concurrently inside a transaction).

If a concurrent build fails (say, the deploy was interrupted), PostgreSQL leaves the index
behind marked invalid: drop it (``DROP INDEX CONCURRENTLY name``) and run ``heard migrate``
again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexWhileServing(AddIndexConcurrently):
    def describe(self) -> str:
        return AddIndex.describe(self) + " (concurrently on PostgreSQL)"

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        _operation_for(schema_editor).database_forwards(
            self, app_label, schema_editor, from_state, to_state
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        _operation_for(schema_editor).database_backwards(
            self, app_label, schema_editor, from_state, to_state
        )


def _operation_for(schema_editor: Any) -> type[AddIndex]:
    """Whose way to build (or drop) the index: concurrently on PostgreSQL, plainly elsewhere."""
    postgres = schema_editor.connection.vendor == "postgresql"
    return AddIndexConcurrently if postgres else AddIndex
