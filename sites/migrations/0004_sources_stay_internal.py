"""The Essaouira description said which source gave which capacity: that note is for
staff, so it moves to the staff-only ``sources`` field (a description staff already
rewrote is left alone)."""

from django.db import migrations

OLD = (
    "Ouvert au 4e trimestre 2023 (environ 20 MDH investis). Capacité de 40 TPE et "
    "startups selon l'article fondateur ; la presse ultérieure parle de 60 ou 70+. "
)
NEW = "Ouvert au 4e trimestre 2023 (environ 20 MDH investis) pour accueillir 40 TPE et startups. "
NOTE = (
    "Capacité de 40 TPE et startups selon l'article fondateur ; "
    "la presse ultérieure parle de 60 ou 70+ entreprises."
)


def forwards(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    for site in Site.objects.filter(description__startswith=OLD):
        site.description = NEW + site.description[len(OLD) :]
        site.sources = "\n".join(
            line
            for line in (*site.sources.splitlines(), NOTE)
            if line and not line.startswith("Presse ultérieure : 60 ou 70+")
        )
        site.save(update_fields=["description", "sources"])


class Migration(migrations.Migration):
    dependencies = [("sites", "0003_historicalclosure_closure")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
