"""What the billing services share: refusals, the gate's checks, the locked invoice."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from billing.models import Invoice
from technopark import access


def require_staff(actor, perm: str, site_id: int) -> None:
    """Staff of the site (or a superuser) only; anyone else is refused as if out of scope."""
    if actor is None or not access.at_site(actor, perm, site_id):
        raise ValidationError(_("You cannot do this for this site."), code="not_allowed")


def locked_invoice(invoice: Invoice) -> Invoice:
    """The invoice row, locked until the transaction ends (issue, credit, payment queue here).

    ``FOR UPDATE`` locks without updating: the triggers that freeze issued
    invoices do not fire.
    """
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("entity__site", "company", "holder")
        .get(pk=invoice.pk)
    )
