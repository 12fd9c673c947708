# BriefVersion on the one abstract VersionedDocument: created_* become published_*, with
# their data. Its PDF took version 1 whatever the brief's number (the document was
# numbered per brief version, not per panel); existing ones take the brief's number.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def number_documents_as_their_versions(apps, schema_editor):
    BriefVersion = apps.get_model("panels", "BriefVersion")
    GeneratedDocument = apps.get_model("core", "GeneratedDocument")
    for version in BriefVersion.objects.filter(document__isnull=False).only("number", "document"):
        GeneratedDocument.objects.filter(pk=version.document_id).update(version=version.number)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("panels", "0003_coordination_sessions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="briefversion", name="panels_brief_shared_after_saved"
        ),
        migrations.RenameField(
            model_name="briefversion", old_name="created_at", new_name="published_at"
        ),
        migrations.RenameField(
            model_name="briefversion", old_name="created_by", new_name="published_by"
        ),
        migrations.AlterField(
            model_name="briefversion",
            name="published_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="published"),
        ),
        migrations.AlterField(
            model_name="briefversion",
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
            model_name="briefversion",
            name="content",
            field=models.JSONField(default=dict, verbose_name="content"),
        ),
        migrations.AlterField(
            model_name="briefversion",
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
        migrations.AddConstraint(
            model_name="briefversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("shared_at__isnull", True),
                    ("shared_at__gte", models.F("published_at")),
                    _connector="OR",
                ),
                name="panels_brief_shared_after_saved",
            ),
        ),
        migrations.RunPython(number_documents_as_their_versions, migrations.RunPython.noop),
    ]
