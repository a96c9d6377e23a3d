"""Ship the default letter and email templates (English and Welsh), and the outbox template
that carries a letter sent by email (heard/correspondence/defaults.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from heard.correspondence.defaults import load_defaults

    load_defaults(
        apps.get_model("correspondence", "LetterTemplate"),
        apps.get_model("notify", "MessageTemplate"),
    )


def unload(apps, schema_editor):
    from heard.correspondence.defaults import MESSAGE_TEMPLATE_KEY, default_templates

    LetterTemplate = apps.get_model("correspondence", "LetterTemplate")
    for row in default_templates():
        # Templates a letter was written from stay (letters keep a link to them).
        LetterTemplate.objects.filter(
            name=row["name"], medium=row["medium"], language=row["language"], letters__isnull=True
        ).delete()
    apps.get_model("notify", "MessageTemplate").objects.filter(key=MESSAGE_TEMPLATE_KEY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0001_letters"),
        ("notify", "0006_portal_templates"),
    ]
    operations = [migrations.RunPython(load, unload)]
