from django.db import migrations, models

from heard.core.migration_operations import AddIndexWhileServing


class Migration(migrations.Migration):
    # Built while the previous version serves: concurrently on PostgreSQL, which cannot do
    # that inside a transaction (heard/core/migration_operations.py). After the keys are
    # filled (0015), so the index is built once rather than kept through every update.
    atomic = False

    dependencies = [
        ("cases", "0015_fill_email_keys"),
    ]

    operations = [
        AddIndexWhileServing(
            model_name="case",
            index=models.Index(
                condition=models.Q(("customer_key__isnull", False)),
                fields=["kind", "received_at"],
                include=("customer_key", "channel", "service"),
                name="case_customer_key_figures",
            ),
        ),
    ]
