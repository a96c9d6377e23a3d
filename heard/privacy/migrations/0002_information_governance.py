"""The "Information governance" group, holding the permission to see the audit of reads, and a
retention schedule for each kind of contact: six years after closure, as a dry run."""

from django.db import migrations

GROUP = "Information governance"
KINDS = (
    "complaint",
    "service_request",
    "dissatisfaction",
    "compliment",
    "comment",
    "suggestion",
    "member_enquiry",
    "mp_enquiry",
    "enquiry",
)


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    RetentionSchedule = apps.get_model("privacy", "RetentionSchedule")
    # Permissions are usually made after migrating; this one is needed by the group now.
    content_type, _ = ContentType.objects.get_or_create(
        app_label="privacy", model="personaldataread"
    )
    permission, _ = Permission.objects.get_or_create(
        codename="see_read_audit",
        content_type=content_type,
        defaults={"name": "Can see who read personal data (information governance)"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)
    for kind in KINDS:
        RetentionSchedule.objects.get_or_create(
            kind=kind,
            defaults={
                "years_after_closure": 6,
                "mode": "dry_run",
                "notes": "Six years after closure (the usual limitation period). Review locally.",
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()
    apps.get_model("privacy", "RetentionSchedule").objects.filter(
        kind__in=KINDS, mode="dry_run"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_personal_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
