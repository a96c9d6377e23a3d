"""Indexes added while the previous version serves are built without holding writes up."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from heard.core.migration_operations import AddIndexWhileServing


@pytest.mark.django_db(transaction=True)  # sqlmigrate's schema editor, outside a test transaction
def test_the_report_indexes_are_built_concurrently_on_postgresql_and_plainly_elsewhere():
    out = StringIO()
    call_command("sqlmigrate", "cases", "0013", stdout=out)
    statements = [line for line in out.getvalue().splitlines() if line.startswith("CREATE")]

    assert len(statements) == 4
    concurrently = connection.vendor == "postgresql"
    assert all(("CONCURRENTLY" in s) == concurrently for s in statements)
    assert not any(s.startswith(("BEGIN", "COMMIT")) for s in out.getvalue().splitlines())


def test_a_migration_building_an_index_while_serving_runs_outside_a_transaction():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in loader.disk_migrations.items():
        if any(isinstance(op, AddIndexWhileServing) for op in migration.operations):
            assert migration.atomic is False, f"{app}.{name} must say atomic = False"
