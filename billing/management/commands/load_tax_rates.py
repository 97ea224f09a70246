"""``manage.py load_tax_rates``: the default TVA rates (20 %, 10 %, exempt), where missing."""

from django.core.management.base import BaseCommand

from billing.services.tax_rates import tax_rates_load


class Command(BaseCommand):
    help = "Create the default TVA rates (20 % as the default, 10 %, exempt) that are missing."

    def handle(self, *args, **options):
        created = tax_rates_load()
        self.stdout.write(f"TVA rates: {created} created.")
