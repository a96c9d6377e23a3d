"""Seed 002's customer-service standards, as the register starts."""

from django.db import migrations


def forwards(apps, schema_editor):
    from heard.reporting.register import load_standards

    load_standards(apps.get_model("reporting", "Standard"))


def backwards(apps, schema_editor):
    from heard.reporting.register import SHIPPED

    Standard = apps.get_model("reporting", "Standard")
    Standard.objects.filter(code__in=[s["code"] for s in SHIPPED], checks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_standards_imports_publication")]

    operations = [migrations.RunPython(forwards, backwards)]
