# AgendaVersion and MinutesVersion on the one abstract VersionedDocument: the agenda's
# snapshot moves from ``sessions`` into ``content`` ({"sessions": [...]}), kept as it was.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def sessions_into_content(apps, schema_editor):
    AgendaVersion = apps.get_model("meetings", "AgendaVersion")
    for version in AgendaVersion.objects.only("pk", "sessions").iterator():
        AgendaVersion.objects.filter(pk=version.pk).update(content={"sessions": version.sessions})


def content_into_sessions(apps, schema_editor):
    AgendaVersion = apps.get_model("meetings", "AgendaVersion")
    for version in AgendaVersion.objects.only("pk", "content").iterator():
        AgendaVersion.objects.filter(pk=version.pk).update(
            sessions=version.content.get("sessions", [])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("meetings", "0005_coordination_sessions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaversion",
            name="content",
            field=models.JSONField(default=dict, verbose_name="content"),
        ),
        migrations.RunPython(sessions_into_content, content_into_sessions),
        migrations.RemoveField(model_name="agendaversion", name="sessions"),
        migrations.AlterField(
            model_name="agendaversion",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.generateddocument",
                verbose_name="document",
            ),
        ),
        migrations.AlterField(
            model_name="agendaversion",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="published by",
            ),
        ),
        migrations.AlterField(
            model_name="minutesversion",
            name="content",
            field=models.JSONField(default=dict, verbose_name="content"),
        ),
        migrations.AlterField(
            model_name="minutesversion",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.generateddocument",
                verbose_name="document",
            ),
        ),
        migrations.AlterField(
            model_name="minutesversion",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="published by",
            ),
        ),
    ]
