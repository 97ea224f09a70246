"""What the billing services share: refusals, the gate's checks, the locked invoice."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from billing.models import Invoice
from technopark import access
from technopark.models import User
from tenants.models import CompanyRole, Membership

Buyer = tuple[int | None, int | None]  # (company id, holder id): one of them set


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


def buyer_languages(buyers) -> dict[Buyer, str]:
    """The language of each buyer's documents: Arabic for a buyer who reads Arabic (a
    nomad, or the company's first admin), else French. Two queries for any number.

    Decided when the buyer's draft is created, and kept: the lines are written in
    it and the PDF is drawn in it, so one invoice never mixes two languages.
    """
    buyers = list(buyers)
    companies = {company for company, _holder in buyers if company is not None}
    holders = {holder for company, holder in buyers if company is None and holder is not None}
    first_admin: dict[int, str] = {}
    if companies:
        for company, language in (
            Membership.objects.filter(company__in=companies, role=CompanyRole.ADMIN)
            .order_by("company", "pk")
            .values_list("company", "user__language")
        ):
            first_admin.setdefault(company, language)
    people: dict[int, str] = {}
    if holders:
        people = dict(User.objects.filter(pk__in=holders).values_list("pk", "language"))
    return {
        (company, holder): "ar"
        if (first_admin.get(company) if company is not None else people.get(holder)) == "ar"
        else "fr"
        for company, holder in buyers
    }
