from django.core.management.base import BaseCommand

from tenants.services.offices import residency_close_due


class Command(BaseCommand):
    help = "Close the contracts whose end date has come (run once a day, e.g. from cron)."

    def handle(self, *args, **options):
        closed = residency_close_due()
        self.stdout.write(f"{closed} contracts closed.")
