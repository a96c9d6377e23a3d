"""The email templates of the action plan reminders (heard.improvement.reminders), which
administrators may then edit."""

from django.db import migrations


def forwards(apps, schema_editor):
    from heard.improvement.reminders import DEFAULT_TEMPLATES

    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for key, (subject, body) in DEFAULT_TEMPLATES.items():
        MessageTemplate.objects.get_or_create(
            key=key, channel="email", language="en", defaults={"subject": subject, "body": body}
        )


def backwards(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(
        key__in=["plan_action_overdue", "plan_review_due"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0003_assessors_leads_portfolios_scores"),
        ("notify", "0008_learning_jobs"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
