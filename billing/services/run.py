"""The monthly invoice run of a site: one draft per buyer and month, from what was used.

Sources: the rent of each residency covering the month (prorated,
``billing.rules.rent_pieces``), the coworking passes starting in the month and
the room bookings of the month beyond the company's free hours (their price,
which ``coworking`` computed when they were booked). Each line records what it
bills (kind, id, month, first day), and a unique constraint refuses a second
line for the same: a run repeated bills nothing twice, and runs of one site
queue on an advisory lock. A line copies its figures, so a source changed
later changes no invoice (corrections are credit notes).

Paid events bill each confirmed registration with an account in the month the
event starts (``events.selectors.paid_registrations``); a visitor registered by
e-mail alone pays at the door.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing.models import Invoice, InvoiceLine, IssuingEntity, LineSource, TaxRate
from billing.rules import RentPiece, line_amounts, month_start, next_month, rent_pieces
from billing.services.common import buyer_languages, locked_invoice, require_staff
from billing.services.lines import checked_figures
from coworking.models import BookingStatus, Pass, PassStatus, RoomBooking
from coworking.timing import month_bounds
from events import selectors as events_selectors
from sites.models import Site
from technopark.db import lock_resources
from tenants.models import Residency, ResidencyOffice
from tenants.selectors.offices import rent_rate_list, with_first_start


@dataclass
class Draft:
    """A line before it is written, for one buyer.

    ``describe`` words the line; the run calls it in the language of the buyer's
    invoice (French or Arabic), so dates, numbers and labels read in that language.
    """

    company_id: int | None
    holder_id: int | None
    source_kind: str
    source_id: int
    describe: Callable[[], str]
    quantity: Decimal
    unit_price: Decimal
    period_start: dt.date
    period_end: dt.date

    @property
    def buyer(self) -> tuple[int | None, int | None]:
        return (self.company_id, self.holder_id)


@dataclass
class RunResult:
    site: Site
    month: dt.date
    invoices_created: int = 0
    lines_added: int = 0
    already_billed: int = 0
    invoices: list[Invoice] = field(default_factory=list)


def _day(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _name(text: str) -> str:
    """A name as people typed it (an office, a room, an event), closed in Arabic by a
    right-to-left mark: the date or number after it then stays in the Arabic sentence's
    order instead of joining the Latin name's (on the PDF and in a browser alike)."""
    return f"{text}\u200f" if translation.get_language() == "ar" else text


def _rent_lines(site: Site, month: dt.date) -> Iterator[Draft]:
    end = next_month(month)
    residencies = with_first_start(
        Residency.objects.filter(site=site, start__lt=end)
        .filter(Q(end__isnull=True) | Q(end__gt=month))
        .select_related("company")
        .prefetch_related(
            Prefetch("office_leases", ResidencyOffice.objects.select_related("office"))
        )
        .order_by("pk")
    )
    rates = rent_rate_list()
    for residency in residencies:
        offices = ", ".join(lease.office.name for lease in residency.office_leases.all())
        for piece in rent_pieces(residency, month=month, rates=rates):

            def describe(piece: RentPiece = piece, offices: str = offices) -> str:
                description = gettext(
                    "Rent %(offices)s (%(area)s m² × %(rate)s MAD), %(first)s – %(last)s"
                ) % {
                    "offices": _name(offices),
                    "area": formats.number_format(piece.area_m2, 2),
                    "rate": formats.number_format(piece.rate_per_m2, 2),
                    "first": _day(piece.first),
                    "last": _day(piece.last),
                }
                if not piece.whole_month:
                    description += " " + gettext("(%(days)s of %(month_days)s days)") % {
                        "days": piece.days,
                        "month_days": piece.month_days,
                    }
                return description

            yield Draft(
                residency.company_id, None, LineSource.RENT, residency.pk, describe,
                piece.quantity, piece.unit_price, piece.first, piece.last,
            )  # fmt: skip


def _pass_lines(site: Site, month: dt.date) -> Iterator[Draft]:
    passes = Pass.objects.filter(
        site=site,
        status=PassStatus.ACTIVE,
        price__gt=0,
        period__startswith__gte=month,
        period__startswith__lt=next_month(month),
    ).order_by("pk")
    for item in passes:

        def describe(item: Pass = item) -> str:
            return gettext("Coworking: %(kind)s, %(first)s – %(last)s") % {
                "kind": item.get_kind_display(),
                "first": _day(item.first_day),
                "last": _day(item.last_day),
            }

        yield Draft(
            item.company_id,
            None if item.company_id else item.holder_id,
            LineSource.PASS,
            item.pk,
            describe,
            Decimal(1),
            item.price,
            item.first_day,
            item.last_day,
        )


def _room_lines(site: Site, month: dt.date) -> Iterator[Draft]:
    start, end = month_bounds(month)
    bookings = (
        RoomBooking.objects.filter(
            space__site=site,
            status=BookingStatus.CONFIRMED,
            price__gt=0,
            during__startswith__gte=start,
            during__startswith__lt=end,
        )
        .select_related("space")
        .order_by("during")
    )
    for booking in bookings:
        starts = timezone.localtime(booking.starts_at)
        billed = booking.minutes - booking.free_minutes

        def describe(room: str = booking.space.name, starts=starts, billed: int = billed) -> str:
            return gettext(
                "Room %(room)s, %(day)s %(start)s, %(minutes)s min beyond the free hours"
            ) % {
                "room": _name(room),
                "day": _day(starts.date()),
                "start": starts.strftime("%H:%M"),
                "minutes": billed,
            }

        yield Draft(
            booking.company_id,
            None if booking.company_id else booking.holder_id,
            LineSource.ROOM,
            booking.pk,
            describe,
            Decimal(1),
            booking.price,
            starts.date(),
            starts.date(),
        )


def _event_lines(site: Site, month: dt.date) -> Iterator[Draft]:
    """Paid events: each confirmed registration with an account, in the month the event starts.

    Billed to the company the person registered for, else to the person.
    """
    start, end = month_bounds(month)
    for registration in events_selectors.paid_registrations(site=site, start=start, end=end):
        event = registration.event
        day = timezone.localdate(event.starts_at)

        def describe(title: str = event.title, day: dt.date = day,
                     name: str = registration.name) -> str:  # fmt: skip
            return gettext("Event: %(title)s, %(day)s (%(name)s)") % {
                "title": _name(title), "day": _day(day), "name": _name(name),
            }  # fmt: skip

        yield Draft(
            registration.company_id,
            None if registration.company_id else registration.user_id,
            LineSource.EVENT,
            registration.pk,
            describe,
            Decimal(1),
            event.price,
            day,
            day,
        )


SOURCES = (_rent_lines, _pass_lines, _room_lines, _event_lines)


@transaction.atomic
def invoice_run(*, actor, site: Site, month: dt.date, system: bool = False) -> RunResult:
    """Bill ``month`` at ``site``: add what is not billed yet to one draft per buyer.

    ``system`` is the scheduled run and the command (no acting person);
    otherwise ``actor`` must be billing staff of the site. Refused: a site
    without an issuing entity or a default TVA rate, a month not yet begun.
    Idempotent: what was billed once (a line for the same source and month)
    is skipped; the constraint ``invoice_line_bills_a_source_once`` backs it.
    """
    if not system:
        require_staff(actor, "billing.add_invoice", site.pk)
    month = month_start(month)
    entity = IssuingEntity.objects.filter(site=site).first()
    if entity is None:
        raise ValidationError(
            _("%(site)s has no issuing entity: enter its legal identity first."),
            code="no_entity",
            params={"site": site.name},
        )
    rate = TaxRate.objects.filter(is_default=True).first()
    if rate is None:
        raise ValidationError(_("No default TVA rate is set."), code="no_rate")
    lock_resources("billing.run", [site.pk])
    result = RunResult(site=site, month=month)
    drafts = [draft for source in SOURCES for draft in source(site, month)]
    billed = set(
        InvoiceLine.objects.filter(
            month=month, source_kind__in=[d.source_kind for d in drafts] or [""]
        ).values_list("source_kind", "source_id", "period_start")
    )
    fresh = [d for d in drafts if (d.source_kind, d.source_id, d.period_start) not in billed]
    result.already_billed = len(drafts) - len(fresh)
    if not fresh:
        return result
    # The month's drafts, locked: one being issued or deleted meanwhile is waited for,
    # and then no longer a draft (PostgreSQL reads the row again), so it gets no line.
    drafts_by_buyer: dict[tuple[int | None, int | None], Invoice] = {
        (invoice.company_id, invoice.holder_id): invoice
        for invoice in Invoice.objects.select_for_update(of=("self",)).filter(
            entity=entity, month=month, number__isnull=True
        )
    }
    new_buyers = [b for b in dict.fromkeys(d.buyer for d in fresh) if b not in drafts_by_buyer]
    languages = buyer_languages(new_buyers)
    new = [
        Invoice(entity=entity, company_id=company, holder_id=holder, month=month,
                language=languages[(company, holder)])
        for company, holder in new_buyers
    ]  # fmt: skip
    for invoice in Invoice.objects.bulk_create(new):
        drafts_by_buyer[(invoice.company_id, invoice.holder_id)] = invoice
    result.invoices_created = len(new)
    positions: dict[int, int] = {}
    lines = []
    for draft in fresh:
        invoice = drafts_by_buyer[draft.buyer]
        positions[invoice.pk] = positions.get(invoice.pk, 0) + 1
        amount_ht, amount_tva = line_amounts(draft.quantity, draft.unit_price, rate.rate)
        # Worded in the invoice's language, the one its PDF is drawn in.
        with translation.override(invoice.language):
            description = draft.describe()
        lines.append(
            InvoiceLine(
                invoice=invoice,
                position=positions[invoice.pk],
                description=description[:300],
                quantity=draft.quantity,
                unit_price=draft.unit_price,
                tva_rate=rate.rate,
                exemption_note=rate.exemption_note,
                amount_ht=amount_ht,
                amount_tva=amount_tva,
                source_kind=draft.source_kind,
                source_id=draft.source_id,
                month=month,
                period_start=draft.period_start,
                period_end=draft.period_end,
            )
        )
    InvoiceLine.objects.bulk_create(lines)
    result.lines_added = len(lines)
    result.invoices = list(dict.fromkeys(drafts_by_buyer[d.buyer] for d in fresh))
    return result


@transaction.atomic
def invoice_line_add(
    *,
    actor,
    invoice: Invoice,
    description: str,
    quantity: Decimal,
    unit_price: Decimal,
    tax_rate: TaxRate,
    source_kind: str = LineSource.FEE,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> InvoiceLine:
    """Add a line by hand to a draft (a one-stop-shop service fee, or another item).

    Refused: an issued invoice, and the bad figures ``lines.checked_figures``
    names (an empty description, a quantity not above zero, a negative price).
    """
    invoice = locked_invoice(invoice)
    require_staff(actor, "billing.change_invoice", invoice.entity.site_id)
    if invoice.number is not None:
        raise ValidationError(_("An issued invoice cannot change."), code="issued")
    if source_kind not in (LineSource.FEE, LineSource.OTHER):
        raise ValidationError(_("Only fees and other items are added by hand."), code="kind")
    description, quantity, unit_price, _rate, amount_ht, amount_tva = checked_figures(
        description=description, quantity=quantity, unit_price=unit_price,
        tva_rate=tax_rate.rate,
    )  # fmt: skip
    last = invoice.lines.order_by("-position").values_list("position", flat=True).first() or 0
    return InvoiceLine.objects.create(
        invoice=invoice,
        position=last + 1,
        description=description,
        quantity=quantity,
        unit_price=unit_price,
        tva_rate=tax_rate.rate,
        exemption_note=tax_rate.exemption_note,
        amount_ht=amount_ht,
        amount_tva=amount_tva,
        source_kind=source_kind,
        month=invoice.month,
        period_start=period_start or invoice.month,
        period_end=period_end or (next_month(invoice.month) - dt.timedelta(days=1)),
    )


def invoice_run_all(*, month: dt.date) -> list[RunResult]:
    """The scheduled run: ``invoice_run`` for every site that has an issuing entity."""
    sites = Site.objects.filter(issuing_entity__isnull=False).order_by("pk")
    return [invoice_run(actor=None, site=site, month=month, system=True) for site in sites]
