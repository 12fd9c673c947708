from django.db import migrations

# ASEAN Charter Art. 31(1): member states in the alphabetical order of their English
# short names, as ASEAN writes them ("Lao PDR", "Viet Nam").
ASEAN_MEMBER_STATES = [
    ("BN", "BRN", "Brunei Darussalam", "Brunei Darussalam"),
    ("KH", "KHM", "Cambodia", "Kingdom of Cambodia"),
    ("ID", "IDN", "Indonesia", "Republic of Indonesia"),
    ("LA", "LAO", "Lao PDR", "Lao People's Democratic Republic"),
    ("MY", "MYS", "Malaysia", "Malaysia"),
    ("MM", "MMR", "Myanmar", "Republic of the Union of Myanmar"),
    ("PH", "PHL", "Philippines", "Republic of the Philippines"),
    ("SG", "SGP", "Singapore", "Republic of Singapore"),
    ("TH", "THA", "Thailand", "Kingdom of Thailand"),
    ("VN", "VNM", "Viet Nam", "Socialist Republic of Viet Nam"),
]


def add_member_states(apps, schema_editor):
    Country = apps.get_model("pilots", "Country")
    for code, iso3, name, formal_name in ASEAN_MEMBER_STATES:
        Country.objects.update_or_create(
            code=code,
            defaults={
                "iso3": iso3,
                "name": name,
                "formal_name": formal_name,
                "is_asean_member": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("pilots", "0001_initial")]

    operations = [migrations.RunPython(add_member_states, migrations.RunPython.noop)]
