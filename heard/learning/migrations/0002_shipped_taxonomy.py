"""Ship a starting set of themes and root causes (heard/learning/defaults.py); organisations
edit them in the admin. Rows already edited are left alone."""

from django.db import migrations


def load(apps, schema_editor):
    from heard.learning.defaults import load_taxonomy

    load_taxonomy(apps.get_model("learning", "Theme"), apps.get_model("learning", "RootCause"))


def unload(apps, schema_editor):
    from heard.learning.defaults import ROOT_CAUSES, THEMES

    Theme = apps.get_model("learning", "Theme")
    RootCause = apps.get_model("learning", "RootCause")
    Theme.objects.filter(
        slug__in=[t[0] for t in THEMES], classifications__isnull=True, lessons__isnull=True
    ).delete()
    RootCause.objects.filter(
        slug__in=[c[0] for c in ROOT_CAUSES], classifications__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_themes_warnings_lessons")]
    operations = [migrations.RunPython(load, unload)]
