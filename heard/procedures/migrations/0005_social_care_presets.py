"""Load the statutory social care procedures added to the presets (seed 002)."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from heard.procedures.presets import load_presets

    load_presets(
        apps.get_model("procedures", "Procedure"),
        apps.get_model("procedures", "ProcedureVersion"),
        apps.get_model("procedures", "Stage"),
        timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0004_council_quality_check")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
