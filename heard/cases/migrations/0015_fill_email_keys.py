from django.db import migrations


def fill_email_keys(apps, schema_editor):
    """Key every existing customer with an address, then copy the keys onto their cases."""
    from heard.cases.copies import fill_email_keys

    fill_email_keys(
        apps.get_model("cases", "Customer"),
        apps.get_model("cases", "Case"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    # A transaction per batch (heard.cases.copies.fill_email_keys), not one for the whole
    # table: the running version's writes to a case wait for a batch at most, not for every
    # case to be keyed. Run again after an interruption, it carries on where it stopped.
    atomic = False

    dependencies = [
        ("cases", "0014_customer_email_key"),
    ]

    operations = [
        migrations.RunPython(fill_email_keys, migrations.RunPython.noop, elidable=True),
    ]
