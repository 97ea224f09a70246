from django.core.management.base import BaseCommand

from tenants.services.offices import rent_rates_load


class Command(BaseCommand):
    help = (
        "Create the default monthly rent per m² of each tier (startup 50, after 18 months 100, "
        "SME 100, large company 130 MAD), effective 2000-01-01, for tiers that have no rate."
    )

    def handle(self, *args, **options):
        created = rent_rates_load()
        self.stdout.write(f"Rent rates: {created} created.")
