from django.db import migrations


def fill_email_keys(apps, schema_editor):
    """Key every existing customer with an address, then copy the keys onto their cases.

    On PostgreSQL the two tables are then vacuumed and analysed, as the demo load does after
    its bulk writes: updating every case row takes every page of the table off the visibility
    map, so until autovacuum comes round every report figure read from a covering index of
    cases visits the table for each row (the annual report at a million cases took 5.1 s before
    the vacuum, 2.7 to 3.9 s after), and the planner knows nothing yet of the new column. About
    20 s at a million cases; it does not hold up reads or writes.
    """
    from heard.cases.copies import fill_email_keys

    customer, case = apps.get_model("cases", "Customer"), apps.get_model("cases", "Case")
    connection = schema_editor.connection
    fill_email_keys(customer, case, using=connection.alias)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (customer, case):
                cursor.execute(
                    f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}"
                )


class Migration(migrations.Migration):
    # A transaction per batch (heard.cases.copies.fill_email_keys), not one for the whole
    # table: the running version's writes to a case wait for a batch at most, not for every
    # case to be keyed (about four minutes at a million cases). Run again after an
    # interruption, it carries on where it stopped.
    atomic = False

    dependencies = [
        ("cases", "0014_customer_email_key"),
    ]

    operations = [
        migrations.RunPython(fill_email_keys, migrations.RunPython.noop, elidable=True),
    ]
