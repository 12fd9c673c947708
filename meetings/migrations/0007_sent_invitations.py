# Who was sent a coordination session's invitation becomes a record, filled from the
# outbox keys that held it until now.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_outbox_keys(apps, schema_editor):
    """The calendar messages sent so far, read back from their outbox keys
    ("meetings.coordination:<session>:<sequence>:<method>:<address>")."""
    OutgoingMail = apps.get_model("core", "OutgoingMail")
    CoordinationSession = apps.get_model("meetings", "CoordinationSession")
    SentInvitation = apps.get_model("meetings", "SentInvitation")
    sessions = set(CoordinationSession.objects.values_list("pk", flat=True))
    rows = []
    mails = OutgoingMail.objects.filter(idempotency_key__startswith="meetings.coordination:")
    for mail in mails.only("pk", "idempotency_key", "created_at").iterator():
        _prefix, session, sequence, method, email = mail.idempotency_key.split(":", 4)
        if int(session) in sessions and method in ("request", "cancel"):
            rows.append(
                SentInvitation(
                    session_id=int(session),
                    sequence=int(sequence),
                    method=method,
                    email=email,
                    mail_id=mail.pk,
                )
            )
    SentInvitation.objects.bulk_create(rows, ignore_conflicts=True)
    # auto_now_add stamped them now; they were sent when their message was written.
    SentInvitation.objects.update(
        sent_at=Subquery(OutgoingMail.objects.filter(pk=OuterRef("mail_id")).values("created_at"))
    )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('meetings', '0006_versioned_documents'),
    ]

    operations = [
        migrations.CreateModel(
            name='SentInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                ('sequence', models.PositiveIntegerField(verbose_name='sequence')),
                ('method', models.CharField(choices=[('request', 'Invitation'), ('cancel', 'Cancellation')], max_length=8, verbose_name='method')),
                ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='sent')),
                ('mail', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.outgoingmail')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sent_invitations', to='meetings.coordinationsession')),
            ],
            options={
                'verbose_name': 'sent invitation',
                'verbose_name_plural': 'sent invitations',
                'ordering': ['sent_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('session', 'sequence', 'method', 'email'), name='meetings_sent_invitation_unique')],
            },
        ),
        migrations.RunPython(from_outbox_keys, migrations.RunPython.noop),
    ]
