"""Demo billing: twelve months of issued invoices, payments (late, partial), a credit note.

Everything goes through the real services: the run bills what the demo's
contracts, passes and bookings used, the drafts are issued on the 2nd of the
following month, payments follow a seeded pattern. Run again, it adds nothing.
"""

import datetime as dt
from decimal import Decimal

from billing.models import CreditNote, Invoice, IssuingEntity, Payment, PaymentMethod
from billing.rules import money, next_month
from billing.selectors import with_totals
from billing.services import credit_note_create, invoice_issue, invoice_run, payment_record
from billing.services.tax_rates import tax_rates_load
from sites.models import Site, StaffAssignment, StaffRole
from technopark.demo import DemoContext
from technopark.models import User
from tenants.models import CompanyRole, Membership, Residency

MONTHS = 12
#: Entities' identifiers are the demo's own (no real company's).
PREFIXES = {"casablanca": "CAS", "rabat": "RAB", "tanger": "TNG", "agadir": "AGA",
            "essaouira": "ESS", "fes": "FES", "oujda": "OUJ", "tiznit": "TIZ"}  # fmt: skip


def _entity(site: Site, number: int) -> IssuingEntity:
    entity, _created = IssuingEntity.objects.get_or_create(
        site=site,
        defaults={
            "name": f"MITC · {site.name}",
            "address": site.address or f"{site.name}, {site.city}, Maroc",
            "tax_id": f"{40123450 + number}",
            "tp_number": f"{35012340 + number}",
            "ice": f"{1523698000000 + number:015d}",
            "rc_number": f"{98760 + number}",
            "rc_court": site.city,
            "prefix": PREFIXES.get(site.slug, site.slug[:3].upper()),
            "bank_details": f"RIB 011 780 0000{number:02d}1234567890 12",
        },
    )
    return entity


def _issuer(site: Site) -> User:
    manager = (
        StaffAssignment.objects.filter(site=site, role=StaffRole.SITE_MANAGER)
        .select_related("user")
        .first()
    )
    return manager.user if manager else User.objects.filter(is_superuser=True).order_by("pk")[0]


def _arabic_readers(ctx: DemoContext) -> None:
    """Some companies' admins read Arabic, so their invoices are drawn in Arabic.

    Not the demo's listed accounts (their pages stay in the language people log in with).
    """
    listed = {email for email, _role in ctx.accounts.listed}
    admins = (
        Membership.objects.filter(role=CompanyRole.ADMIN)
        .exclude(user__email__in=listed)
        .order_by("company_id", "pk")
        .values_list("company_id", "user_id")
    )
    first_admins = dict(reversed(list(admins)))
    readers = [user for company, user in sorted(first_admins.items()) if company % 5 == 0]
    User.objects.filter(pk__in=readers).update(language="ar")


def seed(ctx: DemoContext) -> None:
    """Bill the demo's last twelve months at each site with contracts (one transaction)."""
    tax_rates_load()  # a flushed database has none
    if not Invoice.objects.exists():
        _arabic_readers(ctx)
    sites = Site.objects.filter(pk__in=Residency.objects.values("site")).order_by("pk")
    this_month = ctx.today.replace(day=1)
    first = this_month
    for _ in range(MONTHS):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    for number, site in enumerate(sites, start=1):
        _entity(site, number)
        staff = _issuer(site)
        month = first
        while month < this_month:
            invoice_run(actor=None, site=site, month=month, system=True)
            issue_day = min(next_month(month) + dt.timedelta(days=1), ctx.today)
            for draft in Invoice.objects.filter(entity__site=site, month=month,
                                                number__isnull=True).order_by("pk"):  # fmt: skip
                invoice_issue(actor=staff, invoice=draft, today=issue_day)
            month = next_month(month)
        _payments(ctx, site, staff)
    _credit_note(ctx)


def _payments(ctx: DemoContext, site: Site, staff: User) -> None:
    """Most invoices paid on time; some late, some in part, a few still open (once per site)."""
    if Payment.objects.filter(invoice__entity__site=site).exists():
        return
    invoices = with_totals(
        Invoice.objects.filter(entity__site=site, number__isnull=False, payments__isnull=True)
    ).order_by("issued_on", "number")
    methods = list(PaymentMethod.values)
    for invoice in invoices:
        roll = ctx.rng.random()
        total = invoice.total_ttc
        if roll < 0.65:
            paid_on, amount = invoice.issued_on + dt.timedelta(days=ctx.rng.randint(3, 25)), total
        elif roll < 0.8:  # late
            paid_on, amount = invoice.due_on + dt.timedelta(days=ctx.rng.randint(5, 40)), total
        elif roll < 0.92:  # in part
            paid_on = invoice.issued_on + dt.timedelta(days=ctx.rng.randint(5, 20))
            amount = money(total * Decimal(ctx.rng.choice(["0.3", "0.5", "0.6"])))
        else:  # still unpaid
            continue
        if paid_on > ctx.today or amount <= 0:
            continue
        payment_record(
            actor=staff, invoice=invoice, amount=amount, method=ctx.rng.choice(methods),
            paid_on=paid_on, reference=f"REF-{invoice.number[-6:]}", today=ctx.today,
        )  # fmt: skip


def _credit_note(ctx: DemoContext) -> None:
    """One credit note, on an Essaouira invoice still open: half its first line taken back."""
    if CreditNote.objects.exists():
        return
    open_invoices = with_totals(Invoice.objects.filter(number__isnull=False)).filter(balance__gt=0)
    invoice = (
        open_invoices.filter(entity__site__slug="essaouira").order_by("issued_on").first()
        or open_invoices.order_by("issued_on").first()
    )
    if invoice is None:
        return
    line = invoice.lines.order_by("pk").first()
    amount = min(money(line.amount_ht / 2), money(invoice.balance / Decimal("1.2")))
    credit_note_create(
        actor=_issuer(invoice.entity.site), invoice=invoice,
        reason="Geste commercial : climatisation en panne deux semaines",
        amounts={line.pk: amount}, today=min(invoice.issued_on + dt.timedelta(days=10), ctx.today),
    )  # fmt: skip
