import re

from django.db import migrations, models

# The links that opened something in messages written before secrets were kept apart:
# invitation links and password links, masked in the rows already stored.
_LIVE_LINKS = re.compile(
    r"https?://[^\s\"'<>]*/(?:delegations/invitation|accounts/password/reset/key)/[^\s\"'<>]+"
)
_MASK = "[link hidden: sent only to the recipient]"


def mask_stored_links(apps, schema_editor):
    OutgoingMail = apps.get_model("core", "OutgoingMail")
    stored = OutgoingMail.objects.filter(
        models.Q(body_text__contains="/delegations/invitation/")
        | models.Q(body_text__contains="/accounts/password/reset/key/")
    )
    for mail in stored.iterator():
        mail.body_text = _LIVE_LINKS.sub(_MASK, mail.body_text)
        mail.body_html = _LIVE_LINKS.sub(_MASK, mail.body_html)
        mail.save(update_fields=["body_text", "body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingmail",
            name="secrets",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(mask_stored_links, migrations.RunPython.noop),
    ]
