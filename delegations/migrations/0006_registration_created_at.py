import django.utils.timezone
from django.db import migrations, models


def from_last_change(apps, schema_editor):
    # Registrations sent before this field existed: their last change is the best
    # date known of them.
    Registration = apps.get_model("delegations", "Registration")
    Registration.objects.update(created_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0005_delegation_setup_late_nominations_bulk_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(from_last_change, migrations.RunPython.noop),
    ]
