"""Reminders of overdue invoices, at the intervals each issuing entity sets."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Subquery

from billing.models import Invoice, InvoiceStatus, Reminder
from billing.selectors import with_status
from technopark import mail
from tenants.services.offices.common import company_people_with


def _reminders(field: str, aggregate):
    rows = (
        Reminder.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(value=aggregate(field))
        .values("value")
    )
    return Subquery(rows)


@transaction.atomic
def reminders_send(*, today: dt.date) -> int:
    """Remind the buyer of each overdue invoice, at most ``reminder_max`` times, the first
    the day after its due date, then every ``reminder_every_days`` days.

    Each reminder is a ``Reminder`` row (unique per invoice and number) written
    in the transaction that queues its e-mails: run twice, nobody hears twice.
    The e-mail goes to the company's admins (or to the nomad), in their language.
    Returns how many reminders were sent.
    """
    overdue = (
        with_status(Invoice.objects.filter(number__isnull=False), today=today)
        .filter(status=InvoiceStatus.OVERDUE)  # type: ignore[misc]  # an annotation
        .select_related("entity__site", "company", "holder")
        .annotate(sent=_reminders("pk", Count), last_sent=_reminders("sent_on", Max))
        .order_by("pk")
    )
    sent = 0
    for invoice in overdue:
        count = invoice.sent or 0
        entity = invoice.entity
        if count >= entity.reminder_max:
            continue
        if (
            invoice.last_sent
            and invoice.last_sent + dt.timedelta(days=entity.reminder_every_days) > today
        ):
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(invoice=invoice, sequence=count + 1, sent_on=today)
        except IntegrityError:  # another run took this reminder
            continue
        if invoice.company is not None:
            people = list(company_people_with("billing.view_invoice", invoice.company))
        else:
            people = [invoice.holder] if invoice.holder is not None else []
        mail.send_to(
            people,
            "billing_invoice_overdue",
            {
                "invoice": invoice,
                "site": entity.site,
                "number": invoice.number,
                "due_on": invoice.due_on,
                "balance": invoice.balance,  # type: ignore[attr-defined]  # with_status
                "sequence": count + 1,
            },
        )
        sent += 1
    return sent
