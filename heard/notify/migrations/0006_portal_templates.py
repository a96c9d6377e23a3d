from django.db import migrations


def load(apps, schema_editor):
    from heard.notify.templates_shipped import SHIPPED

    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for key, channel, language, subject, body in SHIPPED:
        MessageTemplate.objects.get_or_create(
            key=key, channel=channel, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("notify", "0005_portal_template_keys")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
