"""Migrations must be safe to run while the previous version is still serving.

A deploy runs ``heard migrate`` once (compose's ``release`` step) and then replaces the web
and worker processes; until they are replaced, the old code runs against the new schema. So a
migration may add (a table, a nullable column, a column with a database default, an index, a
constraint the old code already honours) but not take away or rename what the old code reads
and writes, nor add a column the old code's inserts would leave empty and the database refuse.
Taking something away is done in two releases: stop using it, then drop it.

Migrations written before this rule (listed in ``GRANDFATHERED``, none of them yet deployed
anywhere that had to stay up) are not checked; every new one is. A migration that has to break
the rule (say, the second release of a removal) is listed in ``REVIEWED`` with why.
"""

from __future__ import annotations

from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

# (app, migration name) of every migration that existed when the rule was written.
GRANDFATHERED_BEFORE = {
    "accounts": "0002",
    "cases": "0012",
    "channels": "0005",
    "correspondence": "0003",
    "equality": "0002",
    "improvement": "0005",
    "jobs": "0003",
    "learning": "0005",
    "notify": "0010",
    "org": "0005",
    "portal": "0002",
    "privacy": "0003",
    "procedures": "0007",
    "reporting": "0005",
    "schedules": "0006",
    "webhooks": "0002",
}
# Migrations allowed to break the rule, each with the reason it is safe.
REVIEWED: dict[tuple[str, str], str] = {
    ("schedules", "0006_schedule_default_time_callable"): (
        "time_of_day was NOT NULL already; only Django's default changes, from time(8, 0) to a "
        "function giving the same time (sqlmigrate: no SQL)"
    ),
    ("org", "0005_organisation_default_cutoff_callable"): (
        "working_day_cutoff was NOT NULL already; only Django's default changes, from "
        "time(17, 0) to a function giving the same time (sqlmigrate: no SQL)"
    ),
}

DESTRUCTIVE = (
    migrations.RemoveField,
    migrations.DeleteModel,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.RemoveIndex,  # may be what the old code's queries rely on to finish in time
)


def _problems(operation: migrations.operations.base.Operation) -> list[str]:
    if isinstance(operation, DESTRUCTIVE):
        return [f"{type(operation).__name__} takes away what the running version uses"]
    if isinstance(operation, migrations.AddField):
        field = operation.field
        if field.many_to_many or field.null:
            return []
        if getattr(field, "db_default", models.NOT_PROVIDED) is not models.NOT_PROVIDED:
            return []
        return [
            f"AddField {operation.model_name}.{operation.name} is NOT NULL without a database "
            "default: the running version's inserts would fail (use null=True or db_default)"
        ]
    if isinstance(operation, migrations.AlterField) and not operation.field.null:
        return [
            f"AlterField {operation.model_name}.{operation.name} may make a column the running "
            "version leaves empty NOT NULL; review it and list it in REVIEWED"
        ]
    return []


def _grandfathered(app: str, name: str) -> bool:
    before = GRANDFATHERED_BEFORE.get(app)
    return before is not None and name[:4].isdigit() and name[:4] < before


def test_new_migrations_are_safe_while_the_old_version_serves():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if not type(migration).__module__.startswith("heard."):
            continue
        if _grandfathered(app, name) or (app, name) in REVIEWED:
            continue
        for operation in migration.operations:
            found += [f"{app}.{name}: {problem}" for problem in _problems(operation)]
    assert not found, "\n".join(found)


def test_every_app_with_migrations_is_known_to_the_rule():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    apps = {
        app for (app, _), m in loader.disk_migrations.items() if m.__module__.startswith("heard.")
    }
    assert apps <= set(GRANDFATHERED_BEFORE), sorted(apps - set(GRANDFATHERED_BEFORE))


def test_the_rule_catches_what_it_should():
    drop = migrations.RemoveField("case", "subject")
    required = migrations.AddField("case", "flag", models.BooleanField(default=False))
    defaulted = migrations.AddField("case", "flag", models.BooleanField(db_default=False))
    nullable = migrations.AddField("case", "note", models.TextField(null=True))
    assert _problems(drop) and _problems(required)
    assert not _problems(defaulted) and not _problems(nullable)
    assert not _problems(migrations.AddIndex("case", models.Index(fields=["kind"], name="k")))
