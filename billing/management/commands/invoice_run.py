"""``manage.py invoice_run [--site SLUG] [--month YYYY-MM]``: what the monthly job does, by hand."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.services.run import invoice_run, invoice_run_all
from sites.models import Site


class Command(BaseCommand):
    help = "Draft the invoices of a month (default: last month) at one site or every site."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="the site's slug (default: every site that bills)")
        parser.add_argument("--month", help="YYYY-MM (default: last month)")

    def handle(self, *args, site=None, month=None, **options):
        if month:
            try:
                first = dt.date.fromisoformat(f"{month}-01")
            except ValueError:
                raise CommandError("--month is YYYY-MM, e.g. 2026-05.") from None
        else:
            first = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        try:
            if site:
                target = Site.objects.filter(slug=site).first()
                if target is None:
                    raise CommandError(f"No site {site!r}.")
                results = [invoice_run(actor=None, site=target, month=first, system=True)]
            else:
                results = invoice_run_all(month=first)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for result in results:
            self.stdout.write(
                f"{result.site.name} {first:%Y-%m}: {result.lines_added} lines on "
                f"{len(result.invoices)} drafts, {result.already_billed} already billed"
            )
