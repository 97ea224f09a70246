from django.core.management.base import BaseCommand

from sites.network import network_load
from technopark.demo import DEMO_PASSWORD, Accounts, seed_people


class Command(BaseCommand):
    help = "Load the eight network sites and the demo accounts (keeps existing data)."

    def handle(self, *args, **options):
        sites, spaces = network_load()
        self.stdout.write(f"Network: {sites} sites and {spaces} spaces created.")
        accounts = Accounts()
        seed_people(accounts)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {DEMO_PASSWORD}):"))
        width = max(len(email) for email, _ in accounts.listed)
        for email, role in accounts.listed:
            self.stdout.write(f"  {email:<{width}}  {role}")
