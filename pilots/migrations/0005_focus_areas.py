from django.db import migrations

# The six focus areas of the ASEAN Smart Cities Framework (2018), in its order. Names
# are not stored: they come from pilots.enums.FocusAreaCode in the viewer's language.
FOCUS_AREAS = [
    "civic_social",
    "health_wellbeing",
    "safety_security",
    "quality_environment",
    "built_infrastructure",
    "industry_innovation",
]


def add_focus_areas(apps, schema_editor):
    FocusArea = apps.get_model("pilots", "FocusArea")
    for position, code in enumerate(FOCUS_AREAS, start=1):
        FocusArea.objects.update_or_create(code=code, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("pilots", "0004_registry")]

    operations = [migrations.RunPython(add_focus_areas, migrations.RunPython.noop)]
