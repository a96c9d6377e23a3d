"""Letters at stages 1 and 2 of the council three-stage preset are checked by a second person (seed 001)."""

from django.db import migrations

PRESET = "council-3-stage"
CHECKED_STAGES = (1, 2)


def check_council_letters(apps, schema_editor):
    Stage = apps.get_model("procedures", "Stage")
    Stage.objects.filter(
        version__procedure__slug=PRESET,
        version__procedure__is_preset=True,
        number__in=CHECKED_STAGES,
    ).update(quality_check=True)


def uncheck_council_letters(apps, schema_editor):
    Stage = apps.get_model("procedures", "Stage")
    Stage.objects.filter(
        version__procedure__slug=PRESET,
        version__procedure__is_preset=True,
        number__in=CHECKED_STAGES,
    ).update(quality_check=False)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_stage_quality_check")]
    operations = [migrations.RunPython(check_council_letters, uncheck_council_letters)]
