"""The TVA rates the network starts with, loaded once.

Migration 0002 keeps its own frozen copy (a migration must not import app
code that later changes); this is the app's one copy, used by the demo and by
``manage.py load_tax_rates`` on a database whose rates were flushed.
"""

from decimal import Decimal

from django.db import transaction

from billing.models import TaxRate

#: (name, rate %, exemption mention): the standard rate first, the default one.
DEFAULT_TAX_RATES = (
    ("TVA 20 %", Decimal(20), ""),
    ("TVA 10 %", Decimal(10), ""),
    ("Exonéré", Decimal(0), "Exonéré de TVA (CGI art. 91)"),
)


@transaction.atomic
def tax_rates_load() -> int:
    """Create each default TVA rate missing by name; the first is the default rate unless
    one is already set. Rates staff changed or added are left alone. Returns how many
    were created."""
    has_default = TaxRate.objects.filter(is_default=True).exists()
    created = 0
    for index, (name, rate, note) in enumerate(DEFAULT_TAX_RATES):
        _rate, made = TaxRate.objects.get_or_create(
            name=name,
            defaults={
                "rate": rate,
                "exemption_note": note,
                "is_default": index == 0 and not has_default,
            },
        )
        created += made
    return created
