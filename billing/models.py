"""Invoices in MAD with TVA (CGI art. 145), credit notes, payments and reminders.

An issued invoice never changes: its number, its seller's and buyer's
identities (snapshots) and its lines are frozen, by the services, the admin
and PostgreSQL triggers (migration 0002). Totals are never stored: each line
stores its amounts, checked by the database against quantity × unit price and
the TVA rate (rounded half-up to the centime), and every total is the sum of
the lines (``selectors.with_totals``). A correction is a credit note, its own
numbered document; payments are recorded against an invoice, never beyond what
is left to pay. The status (issued, partly paid, paid, overdue, cancelled) is
read from those rows, so it cannot drift from them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants.models.company import ICE_VALIDATOR, IF_VALIDATOR, RC_VALIDATOR

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class TaxRate(models.Model):
    """A TVA rate a line may carry (20% by default); an exemption is 0% with its mention."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    is_default = models.BooleanField(_("default rate"), default=False)
    exemption_note = models.CharField(
        _("exemption mention"),
        max_length=200,
        blank=True,
        help_text=_("Printed on the invoice for an exempt line, e.g. the article of the CGI."),
    )

    class Meta:
        verbose_name = _("TVA rate")
        verbose_name_plural = _("TVA rates")
        ordering = ["-is_default", "rate"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100),
                name="tax_rate_between_0_and_100",
                violation_error_message=_("A TVA rate is between 0 and 100%."),
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="tax_rate_one_default",
                violation_error_message=_("Only one TVA rate is the default."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.rate} %)"


PREFIX_VALIDATOR = RegexValidator(
    r"^[A-Z]{2,5}\Z", _("The prefix is 2 to 5 capital letters, e.g. ESS.")
)


class IssuingEntity(models.Model):
    """Who bills at a site: the legal identity printed on its invoices (data staff set)."""

    site = models.OneToOneField(
        "sites.Site",
        on_delete=models.PROTECT,
        related_name="issuing_entity",
        verbose_name=_("site"),
    )
    name = models.CharField(_("legal name"), max_length=200)
    address = models.TextField(_("address"))
    tax_id = models.CharField(_("tax identifier (IF)"), max_length=10, validators=[IF_VALIDATOR])
    tp_number = models.CharField(
        _("taxe professionnelle number"),
        max_length=20,
        validators=[RegexValidator(r"^\d{5,20}\Z", _("The TP number is digits only."))],
    )
    ice = models.CharField(_("ICE"), max_length=15, validators=[ICE_VALIDATOR])
    rc_number = models.CharField(_("RC number"), max_length=10, validators=[RC_VALIDATOR])
    rc_court = models.CharField(_("RC court city"), max_length=100)
    prefix = models.CharField(
        _("number prefix"), max_length=5, unique=True, validators=[PREFIX_VALIDATOR]
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, validators=[MaxValueValidator(120)]
    )
    bank_details = models.CharField(
        _("bank details (RIB)"), max_length=200, blank=True, help_text=_("For transfers.")
    )
    reminder_every_days = models.PositiveSmallIntegerField(
        _("remind every (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Days between two reminders of an overdue invoice."),
    )
    reminder_max = models.PositiveSmallIntegerField(
        _("reminders at most"), default=3, validators=[MaxValueValidator(12)]
    )

    class Meta:
        verbose_name = _("issuing entity")
        verbose_name_plural = _("issuing entities")
        ordering = ["site__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^[A-Z]{2,5}$"),
                name="issuing_entity_prefix_letters",
                violation_error_message=_("The prefix is 2 to 5 capital letters, e.g. ESS."),
            ),
            models.CheckConstraint(
                condition=Q(reminder_every_days__gte=1),
                name="issuing_entity_reminder_interval_positive",
            ),
        ]

    def __str__(self):
        return self.name


class SeriesKind(models.TextChoices):
    INVOICE = "invoice", _("Invoices")
    CREDIT_NOTE = "credit", _("Credit notes")


class NumberSeries(models.Model):
    """The last number given in one series (entity, kind, year): the row issuers lock."""

    entity = models.ForeignKey(
        IssuingEntity, on_delete=models.PROTECT, related_name="series", verbose_name=_("entity")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SeriesKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "kind", "year"], name="number_series_once_per_year"
            )
        ]

    def __str__(self):
        return f"{self.entity.prefix} {self.kind} {self.year}: {self.last}"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("invoice status", "Draft")
    ISSUED = "issued", pgettext_lazy("invoice status", "Issued")
    PARTLY_PAID = "partly_paid", pgettext_lazy("invoice status", "Partly paid")
    PAID = "paid", pgettext_lazy("invoice status", "Paid")
    OVERDUE = "overdue", pgettext_lazy("invoice status", "Overdue")
    CANCELLED = "cancelled", pgettext_lazy("invoice status", "Cancelled")


class Invoice(models.Model):
    """A bill to one company (or one nomad) from one site's issuing entity.

    Drafts have no number and may change; ``invoice_issue`` gives the number,
    the date, the due date and the snapshots, after which the row is frozen.
    """

    entity = models.ForeignKey(
        IssuingEntity, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("issuer")
    )
    company = models.ForeignKey(
        "tenants.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("company"),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("person billed"),
        help_text=_("A nomad without a company."),
    )
    month = models.DateField(_("month billed"), help_text=_("First day of the month billed."))
    number = models.CharField(_("number"), max_length=24, unique=True, null=True, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    language = models.CharField(_("language of the document"), max_length=5, default="fr")
    seller = models.JSONField(_("seller at issue"), default=dict, blank=True)
    buyer = models.JSONField(_("buyer at issue"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-number", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=False, holder__isnull=True)
                | Q(company__isnull=True, holder__isnull=False),
                name="invoice_one_buyer",
                violation_error_message=_("An invoice is for a company or for a person."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True, issued_on__isnull=True, due_on__isnull=True)
                | Q(number__isnull=False, issued_on__isnull=False, due_on__gte=F("issued_on")),
                name="invoice_issued_has_number_and_dates",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="invoice_month_is_first_day"),
        ]
        indexes = [models.Index(fields=["entity", "issued_on"], name="invoice_entity_issued")]

    def __str__(self):
        return self.number or _("Draft invoice #%(id)s") % {"id": self.pk}

    @property
    def is_draft(self) -> bool:
        return self.number is None

    @property
    def buyer_name(self) -> str:
        if self.buyer:
            return self.buyer.get("name", "")
        return str(self.company or self.holder)


class LineSource(models.TextChoices):
    """What a line bills (one line per source and month: see the run)."""

    RENT = "rent", _("Rent")
    PASS = "pass", _("Coworking pass")
    ROOM = "room", _("Room booking")
    FEE = "fee", _("One-stop-shop service fee")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


#: Sources billed once per (source, month): the run's idempotence rests on this.
SOURCED = (LineSource.RENT, LineSource.PASS, LineSource.ROOM, LineSource.EVENT)


class InvoiceLine(models.Model):
    """One item: description, quantity, unit price excl. TVA and the TVA rate; amounts checked."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit_price = models.DecimalField(
        _("unit price excl. TVA (MAD)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    tva_rate = models.DecimalField(
        _("TVA rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    exemption_note = models.CharField(_("exemption mention"), max_length=200, blank=True)
    amount_ht = models.DecimalField(_("amount excl. TVA"), max_digits=14, decimal_places=2)
    amount_tva = models.DecimalField(_("TVA"), max_digits=14, decimal_places=2)
    source_kind = models.CharField(
        _("bills"), max_length=10, choices=LineSource.choices, default=LineSource.OTHER
    )
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    month = models.DateField(_("month billed"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to (inclusive)"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="invoice_line_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0),
                name="invoice_line_price_not_negative",
                violation_error_message=_("The unit price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(tva_rate__gte=0) & Q(tva_rate__lte=100),
                name="invoice_line_rate_between_0_and_100",
                violation_error_message=_("A TVA rate is between 0 and 100%."),
            ),
            # PostgreSQL's round() of a numeric rounds half away from zero:
            # half-up for these non-negative amounts.
            models.CheckConstraint(
                condition=Q(amount_ht=Round(F("quantity") * F("unit_price"), 2)),
                name="invoice_line_amount_is_quantity_times_price",
            ),
            models.CheckConstraint(
                condition=Q(amount_tva=Round(F("amount_ht") * F("tva_rate") / 100, 2)),
                name="invoice_line_tva_is_rate_of_amount",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="invoice_line_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(source_kind__in=SOURCED) | Q(source_id__isnull=False),
                name="invoice_line_source_has_id",
            ),
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "month", "period_start"],
                condition=Q(source_kind__in=SOURCED),
                name="invoice_line_bills_a_source_once",
                violation_error_message=_("This has already been billed for this month."),
            ),
        ]

    def __str__(self):
        return self.description


class CreditNote(models.Model):
    """A numbered correction of an issued invoice, in full or in part (its own series)."""

    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("invoice"),
    )
    number = models.CharField(_("number"), max_length=24, unique=True)
    issued_on = models.DateField(_("issue date"))
    reason = models.CharField(_("reason"), max_length=300)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-issued_on", "-number"]

    def __str__(self):
        return self.number


class CreditNoteLine(models.Model):
    """What a credit note takes back from one invoice line (excl. TVA), with its TVA."""

    credit_note = models.ForeignKey(
        CreditNote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("credit note")
    )
    invoice_line = models.ForeignKey(
        InvoiceLine,
        on_delete=models.PROTECT,
        related_name="credits",
        verbose_name=_("invoice line"),
    )
    description = models.CharField(_("description"), max_length=300)
    tva_rate = models.DecimalField(
        _("TVA rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    amount_ht = models.DecimalField(_("amount excl. TVA"), max_digits=14, decimal_places=2)
    amount_tva = models.DecimalField(_("TVA"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("credit note line")
        verbose_name_plural = _("credit note lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ht__gt=0),
                name="credit_note_line_amount_positive",
                violation_error_message=_("A credit is more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(amount_tva=Round(F("amount_ht") * F("tva_rate") / 100, 2)),
                name="credit_note_line_tva_is_rate_of_amount",
            ),
        ]

    def __str__(self):
        return self.description


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")


class Payment(models.Model):
    """Money received against one issued invoice; never more than is left to pay."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    amount = models.DecimalField(_("amount (MAD)"), max_digits=14, decimal_places=2)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    paid_on = models.DateField(_("date"))
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Cheque or transfer number.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("A payment is more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.invoice} · {self.amount} MAD · {self.paid_on}"


class Reminder(models.Model):
    """One reminder sent for an overdue invoice: ``sequence`` makes each one happen once."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("invoice")
    )
    sequence = models.PositiveSmallIntegerField(_("reminder number"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["invoice", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "sequence"], name="reminder_once")
        ]

    def __str__(self):
        return f"{self.invoice} · {self.sequence}"
