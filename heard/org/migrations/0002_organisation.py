"""Create the organisation with the shipped procedures as its defaults."""

from django.db import migrations


def create(apps, schema_editor):
    Organisation = apps.get_model("org", "Organisation")
    Procedure = apps.get_model("procedures", "Procedure")
    organisation, _ = Organisation.objects.get_or_create(pk=1)
    if organisation.complaint_procedure_id is None:
        organisation.complaint_procedure = Procedure.objects.filter(slug="council-3-stage").first()
    if organisation.correspondence_procedure_id is None:
        organisation.correspondence_procedure = Procedure.objects.filter(
            slug="correspondence-standard"
        ).first()
    organisation.save()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial"), ("procedures", "0002_presets")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
