"""The email a head of service receives about an early warning (edited in the admin)."""

from django.db import migrations


def load(apps, schema_editor):
    from heard.learning.defaults import load_message_template

    load_message_template(apps.get_model("notify", "MessageTemplate"))


def unload(apps, schema_editor):
    from heard.learning.defaults import EARLY_WARNING_TEMPLATE

    apps.get_model("notify", "MessageTemplate").objects.filter(key=EARLY_WARNING_TEMPLATE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_shipped_taxonomy"),
        ("notify", "0007_correspondence_template_key"),
    ]
    operations = [migrations.RunPython(load, unload)]
