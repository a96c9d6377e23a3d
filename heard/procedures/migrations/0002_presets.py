"""Load the shipped procedures (heard/procedures/presets.py) as published version 1."""

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


def unload(apps, schema_editor):
    # Presets a case already follows are protected and stay.
    Procedure = apps.get_model("procedures", "Procedure")
    for procedure in Procedure.objects.filter(is_preset=True):
        if (
            not apps.get_model("cases", "Case")
            .objects.filter(procedure_version__procedure=procedure)
            .exists()
        ):
            apps.get_model("procedures", "Stage").objects.filter(
                version__procedure=procedure
            ).delete()
            procedure.versions.all().delete()
            procedure.delete()


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial"), ("cases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
