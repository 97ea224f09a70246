from django.core.management.base import BaseCommand

from sites.network import network_load


class Command(BaseCommand):
    help = "Create the network's sites and known spaces that are missing (never overwrites)."

    def handle(self, *args, **options):
        sites, spaces = network_load()
        self.stdout.write(f"{sites} sites and {spaces} spaces created.")
