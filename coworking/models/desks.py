"""Coworking desks, passes, nomad members and desk reservations.

Desk days are dates, not timestamps: a pass and a reservation hold a
``DateRangeField`` ``[first day, day after the last)``. PostgreSQL forbids two
active reservations of one desk on one day, and one person holding two desks
on one day (exclusion constraints), whatever the application does.
"""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sites.models import SpaceKind
from technopark.models import Decided


class Desk(models.Model):
    """One position in a site's coworking area: a hot desk, or a fixed one."""

    space = models.ForeignKey(
        "sites.Space",
        on_delete=models.CASCADE,
        related_name="desks",
        limit_choices_to={"kind": SpaceKind.COWORKING},
        verbose_name=_("coworking area"),
    )
    label = models.CharField(_("label"), max_length=20)
    fixed = models.BooleanField(
        _("fixed desk"),
        default=False,
        help_text=_("Assigned to one person for a period; never offered as a hot desk."),
    )
    active = models.BooleanField(
        _("in service"), default=True, help_text=_("Desks out of service are never allocated.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["space__site__name", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "label"],
                name="desk_label_unique_per_area",
                violation_error_message=_("This area already has a desk with this label."),
            ),
        ]

    def __str__(self):
        return f"{self.label} · {self.space.site.name}"

    def clean(self):
        super().clean()
        if self.space_id and self.space.kind != SpaceKind.COWORKING:
            raise ValidationError({"space": _("Desks belong to a coworking area.")})


class PassKind(models.TextChoices):
    DAY = "day", _("Day pass")
    WEEK = "week", _("Week pass (5 working days)")
    MONTH = "month", _("Month pass")


class PassPrice(models.Model):
    """What a pass of one kind costs at one site, in MAD (set by staff)."""

    site = models.ForeignKey(
        "sites.Site", on_delete=models.CASCADE, related_name="pass_prices", verbose_name=_("site")
    )
    kind = models.CharField(_("pass"), max_length=10, choices=PassKind.choices)
    price = models.DecimalField(
        _("price (MAD)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pass price")
        verbose_name_plural = _("pass prices")
        ordering = ["site__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind"],
                name="pass_price_once_per_site_and_kind",
                violation_error_message=_("This site already has a price for this pass."),
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="pass_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.site.name}"


#: Days a site keeps a nomad's identity document after their last pass, unless its staff say.
DEFAULT_DOCUMENT_RETENTION_DAYS = 90


class DocumentRetention(models.Model):
    """How long a site keeps a nomad member's identity document number (law 09-08).

    Counted from the last day of the member's last pass (or their sign-up, if
    they never had one); a running or requested pass keeps it. A daily job
    deletes the numbers whose time has come (``nomad_documents_expire``).
    """

    site = models.OneToOneField(
        "sites.Site",
        on_delete=models.CASCADE,
        related_name="document_retention",
        verbose_name=_("site"),
    )
    days = models.PositiveSmallIntegerField(
        _("days kept after the last pass"),
        default=DEFAULT_DOCUMENT_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identity document retention")
        verbose_name_plural = _("identity document retention")
        ordering = ["site__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=3650), name="document_retention_days_range"
            ),
        ]

    def __str__(self):
        return _("%(site)s: %(days)d days") % {"site": self.site.name, "days": self.days}


class NomadStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class IdentityDocument(models.TextChoices):
    CIN = "cin", _("Moroccan national identity card (CIN)")
    PASSPORT = "passport", _("Passport")


CIN_VALIDATOR = RegexValidator(
    r"^[A-Z]{1,2}[0-9]{1,7}\Z",
    _("A CIN number is one or two capital letters followed by digits, e.g. BE123456."),
)
PASSPORT_VALIDATOR = RegexValidator(
    r"^[A-Z0-9]{5,20}\Z", _("A passport number is 5 to 20 capital letters and digits.")
)


class NomadProfile(Decided):
    """An individual member (no tenant company), Moroccan or international, approved by staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="nomad_profile",
        verbose_name=_("person"),
    )
    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.PROTECT,
        related_name="nomads",
        verbose_name=_("site"),
        help_text=_("The site where the person signed up; its staff decide."),
    )
    nationality = models.CharField(_("nationality"), max_length=60)
    document_kind = models.CharField(
        _("identity document"), max_length=10, choices=IdentityDocument.choices
    )
    document_number = models.CharField(
        _("document number"),
        max_length=20,
        blank=True,
        help_text=_("Empty once erased (law 09-08)."),
    )
    document_erased_at = models.DateTimeField(
        _("document number deleted"),
        null=True,
        blank=True,
        help_text=_("At the person's request, or after the site's retention period."),
    )
    company_name = models.CharField(
        _("company"), max_length=200, blank=True, help_text=_("Your company, if any.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NomadStatus.choices, default=NomadStatus.PENDING
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomad member")
        verbose_name_plural = _("nomad members")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_kind", "document_number"],
                condition=~Q(document_number=""),  # erased numbers (law 09-08) are empty
                name="nomad_document_unique",
                violation_error_message=_("A member is already registered with this document."),
            ),
            models.CheckConstraint(
                condition=~Q(document_kind=IdentityDocument.CIN)
                | Q(document_number="")
                | Q(document_number__regex=r"^[A-Z]{1,2}[0-9]{1,7}$"),
                name="nomad_cin_format",
                violation_error_message=_("A CIN number is one or two letters followed by digits."),
            ),
            models.CheckConstraint(
                condition=~Q(document_kind=IdentityDocument.PASSPORT)
                | Q(document_number="")
                | Q(document_number__regex=r"^[A-Z0-9]{5,20}$"),
                name="nomad_passport_format",
                violation_error_message=_(
                    "A passport number is 5 to 20 capital letters and digits."
                ),
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def is_approved(self) -> bool:
        return self.status == NomadStatus.APPROVED

    @property
    def masked_document_number(self) -> str:
        """The number as people who need not know it see it: ``AB•••••89``."""
        number = self.document_number
        if len(number) <= 4:
            return "•" * len(number)
        return number[:2] + "•" * (len(number) - 4) + number[-2:]


class PassStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


#: Passes that hold their dates: a second one for the same person, site and days is refused.
ACTIVE_PASS = (PassStatus.REQUESTED, PassStatus.ACTIVE)


class DayRange:
    """Rows whose ``period`` is a ``[first, last + 1)`` date range, read as days."""

    @property
    def first_day(self):
        return self.period.lower

    @property
    def last_day(self):
        return self.period.upper - dt.timedelta(days=1)


class Pass(DayRange, Decided):
    """The right to reserve a coworking desk at one site on the pass's days."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coworking_passes",
        verbose_name=_("holder"),
    )
    site = models.ForeignKey(
        "sites.Site", on_delete=models.PROTECT, related_name="passes", verbose_name=_("site")
    )
    company = models.ForeignKey(
        "tenants.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coworking_passes",
        verbose_name=_("billed to company"),
    )
    kind = models.CharField(_("pass"), max_length=10, choices=PassKind.choices)
    period = DateRangeField(_("days"))
    price = models.DecimalField(
        _("price (MAD)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PassStatus.choices, default=PassStatus.REQUESTED
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__isempty=False)
                & Q(period__lower_inf=False)
                & Q(period__upper_inf=False),
                name="pass_period_bounded",
                violation_error_message=_("A pass covers at least one day."),
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="pass_price_paid_not_negative"),
            ExclusionConstraint(
                name="pass_one_at_a_time_per_site",
                expressions=[
                    ("holder", RangeOperators.EQUAL),
                    ("site", RangeOperators.EQUAL),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=ACTIVE_PASS),
                violation_error_message=_("You already have a pass at this site on these days."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.holder} · {self.first_day:%Y-%m-%d}"


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", _("Reserved")
    CANCELLED = "cancelled", _("Cancelled")


class DeskReservation(DayRange, models.Model):
    """One desk held for one person over a range of days."""

    desk = models.ForeignKey(
        Desk, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("desk")
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_reservations",
        verbose_name=_("holder"),
    )
    company = models.ForeignKey(
        "tenants.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk_reservations",
        verbose_name=_("company"),
    )
    desk_pass = models.ForeignKey(
        Pass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reservations",
        verbose_name=_("pass"),
        help_text=_("Empty for a fixed desk assigned by staff."),
    )
    period = DateRangeField(_("days"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReservationStatus.choices,
        default=ReservationStatus.ACTIVE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reserved by"),
    )
    created_at = models.DateTimeField(_("reserved"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("desk reservation")
        verbose_name_plural = _("desk reservations")
        ordering = ["-period", "desk__label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__isempty=False)
                & Q(period__lower_inf=False)
                & Q(period__upper_inf=False),
                name="desk_reservation_period_bounded",
                violation_error_message=_("A reservation covers at least one day."),
            ),
            ExclusionConstraint(
                name="desk_reservation_one_holder_per_day",
                expressions=[("desk", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=Q(status=ReservationStatus.ACTIVE),
                violation_error_message=_("This desk is already reserved on these days."),
            ),
            ExclusionConstraint(
                name="desk_reservation_one_desk_per_person",
                expressions=[
                    ("holder", RangeOperators.EQUAL),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(status=ReservationStatus.ACTIVE),
                violation_error_message=_("This person already has a desk on these days."),
            ),
        ]

    def __str__(self):
        return f"{self.desk.label} · {self.holder} · {self.first_day:%Y-%m-%d}"


class CheckInStatus(models.TextChoices):
    PRESENT = "present", _("Checked in")
    NO_SHOW = "no_show", _("No-show")


class DeskCheckIn(models.Model):
    """What the front desk recorded for one reservation on one day."""

    reservation = models.ForeignKey(
        DeskReservation,
        on_delete=models.CASCADE,
        related_name="checkins",
        verbose_name=_("reservation"),
    )
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=10, choices=CheckInStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["reservation", "day"],
                name="checkin_once_per_reservation_and_day",
                violation_error_message=_("This day is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.reservation} · {self.day:%Y-%m-%d} · {self.get_status_display()}"
