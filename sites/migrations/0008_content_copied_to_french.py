"""The names and descriptions written so far are French: they become the French text."""

from django.db import migrations
from django.db.models import F


def copy_to_french(apps, schema_editor):
    for model in ("Site", "Space", "HistoricalSite", "HistoricalSpace"):
        apps.get_model("sites", model).objects.update(
            name_fr=F("name"), description_fr=F("description")
        )


def copy_back(apps, schema_editor):
    for model in ("Site", "Space", "HistoricalSite", "HistoricalSpace"):
        apps.get_model("sites", model).objects.exclude(name_fr=None).update(
            name=F("name_fr"), description=F("description_fr")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0007_content_in_three_languages"),
    ]

    operations = [migrations.RunPython(copy_to_french, copy_back)]
