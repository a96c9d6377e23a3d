"""Ship the routing rules of seed 002: social care complaints follow their statutory procedures."""

from django.db import migrations

RULES = [
    (
        "Adult social care",
        "Care and support for adults: assessments, care packages, home care, residential care.",
        "adult-social-care-statutory",
    ),
    (
        "Children's social care",
        "Services for children in need, looked-after children and care leavers.",
        "children-social-care-statutory",
    ),
]


def ship(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    RoutingRule = apps.get_model("cases", "RoutingRule")
    for name, description, slug in RULES:
        procedure = Procedure.objects.filter(slug=slug).first()
        if procedure is not None:
            RoutingRule.objects.get_or_create(
                name=name,
                defaults={
                    "description": description,
                    "procedure": procedure,
                    "kinds": ["complaint"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_full_text_search"),
        ("procedures", "0005_social_care_presets"),
    ]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
