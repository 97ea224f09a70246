from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from sites.network import network_load
from technopark.demo import DEMO_PASSWORD, SEEDERS, DemoContext, seed_people


class Command(BaseCommand):
    help = "Load the network's sites and the demo data (keeps existing data)."

    def handle(self, *args, **options):
        sites, spaces = network_load()
        self.stdout.write(f"Network: {sites} sites and {spaces} spaces created.")
        ctx = DemoContext(say=self.stdout.write)
        seed_people(ctx.accounts)
        for path in SEEDERS:
            import_string(path)(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {DEMO_PASSWORD}):"))
        width = max(len(email) for email, _ in ctx.accounts.listed)
        for email, role in ctx.accounts.listed:
            self.stdout.write(f"  {email:<{width}}  {role}")
