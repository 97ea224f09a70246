"""The catalogue written so far is French: it becomes the French text."""

from django.db import migrations
from django.db.models import F


def copy_to_french(apps, schema_editor):
    for model in ("Service", "HistoricalService"):
        apps.get_model("tenants", model).objects.update(
            name_fr=F("name"),
            description_fr=F("description"),
            documents_needed_fr=F("documents_needed"),
        )


def copy_back(apps, schema_editor):
    for model in ("Service", "HistoricalService"):
        apps.get_model("tenants", model).objects.exclude(name_fr=None).update(
            name=F("name_fr"),
            description=F("description_fr"),
            documents_needed=F("documents_needed_fr"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0005_catalogue_in_three_languages"),
    ]

    operations = [migrations.RunPython(copy_to_french, copy_back)]
