from django.core.management.base import BaseCommand

from billing import demo as billing_demo
from coworking import demo as coworking_demo
from events import demo as events_demo
from network import history_demo
from network.demo import seed_people
from sites.content import content_translate
from sites.network import network_load
from technopark.demo import DEMO_PASSWORD, DemoContext
from tenants.demo import alumni, companies, kpi, offices, requests

#: Each area's seed function, in the order their data depend on each other.
SEEDERS = [
    companies.seed,
    offices.seed,
    requests.seed,
    kpi.seed,
    alumni.seed,  # exits after the contracts that ended, the baseline before the first
    coworking_demo.seed,
    events_demo.seed,
    history_demo.seed,  # the dashboard's past eight quarters (around the events)
    billing_demo.seed,
]


class Command(BaseCommand):
    help = "Load the network's sites and the demo data (keeps existing data)."

    def handle(self, *args, **options):
        sites, spaces = network_load()
        self.stdout.write(f"Network: {sites} sites and {spaces} spaces created.")
        ctx = DemoContext(say=self.stdout.write)
        seed_people(ctx.accounts)
        for seed in SEEDERS:
            seed(ctx)
        rows = content_translate()
        self.stdout.write(f"Content: {rows} sites and spaces given their Arabic and English texts.")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {DEMO_PASSWORD}):"))
        width = max(len(email) for email, _ in ctx.accounts.listed)
        for email, role in ctx.accounts.listed:
            self.stdout.write(f"  {email:<{width}}  {role}")
