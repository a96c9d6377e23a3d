"""The Customer Service Excellence standard's criteria, sub-criteria and 57 elements (seed 004),
from heard/improvement/data/cse_standard.json."""

from django.db import migrations


def forwards(apps, schema_editor):
    from heard.improvement.framework import load_framework

    load_framework(
        apps.get_model("improvement", "Criterion"),
        apps.get_model("improvement", "SubCriterion"),
        apps.get_model("improvement", "Element"),
    )


def backwards(apps, schema_editor):
    apps.get_model("improvement", "Criterion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("improvement", "0001_cse_framework_plans_bright_ideas")]

    operations = [migrations.RunPython(forwards, backwards)]
