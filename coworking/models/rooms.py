"""Room booking: each bookable room's rules, companies' free hours, and the bookings.

A booking holds its room for ``[start, end)`` in UTC (``DateTimeRangeField``).
PostgreSQL forbids two active bookings (pending or confirmed) of one room
that overlap; back-to-back bookings share only a bound, which ``[)`` ranges
do not count as overlap. Cancelled and rejected bookings block nothing.
"""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DurationField, ExpressionWrapper, F, Func, Q
from django.db.models.functions import Mod, NullIf
from django.db.models.lookups import Exact, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from technopark.models import Decided


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


#: The furthest a room's horizon may reach: the calendars show two years ahead.
HORIZON_DAYS_MAX = 730


def _multiple_of_step(field: str):
    """``field % step_minutes = 0`` (NULL, so left to the step's own check, when the step is 0)."""
    return Exact(Mod(F(field), NullIf(F("step_minutes"), 0)), 0)


class RoomRules(models.Model):
    """How one bookable room may be booked; its opening hours are ``OpeningHours`` rows."""

    # Set by the booking service's one-query read of a room (``_rules_of`` in
    # coworking.services.rooms): opening hours by weekday, closed days booked over.
    week: dict[int, tuple[dt.time, dt.time]]
    closed: set[dt.date]

    space = models.OneToOneField(
        "sites.Space",
        on_delete=models.CASCADE,
        related_name="booking_rules",
        verbose_name=_("room"),
    )
    min_minutes = models.PositiveSmallIntegerField(
        _("shortest booking (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    max_minutes = models.PositiveSmallIntegerField(
        _("longest booking (minutes)"), default=8 * 60, validators=[MaxValueValidator(24 * 60)]
    )
    step_minutes = models.PositiveSmallIntegerField(
        _("slot step (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Bookings start and end on multiples of this step, e.g. 30 minutes."),
    )
    needs_approval = models.BooleanField(
        _("needs staff approval"),
        default=False,
        help_text=_("A booking waits for staff approval; meanwhile nobody else can take its slot."),
    )
    cancellation_notice_hours = models.PositiveSmallIntegerField(
        _("cancellation notice (hours)"),
        default=24,
        help_text=_("Bookers may cancel until this many hours before the start."),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("bookable ahead (days)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(HORIZON_DAYS_MAX)],
        help_text=_("How far ahead the room can be booked."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room rules")
        verbose_name_plural = _("room rules")
        ordering = ["space__site__name", "space__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_minutes__gte=F("min_minutes")),
                name="room_rules_max_not_below_min",
                violation_error_message=_("The longest booking is shorter than the shortest."),
            ),
            models.CheckConstraint(
                condition=Q(step_minutes__gte=5) & Q(step_minutes__lte=240),
                name="room_rules_step_range",
            ),
            models.CheckConstraint(
                condition=_multiple_of_step("min_minutes") & _multiple_of_step("max_minutes"),
                name="room_rules_limits_on_step",
                violation_error_message=_(
                    "The shortest and longest bookings must be multiples of the slot step."
                ),
            ),
            models.CheckConstraint(
                condition=Q(horizon_days__gte=1) & Q(horizon_days__lte=HORIZON_DAYS_MAX),
                name="room_rules_horizon_range",
            ),
        ]

    def __str__(self):
        return str(self.space)

    def clean(self):
        super().clean()
        if self.space_id and not self.space.bookable:
            raise ValidationError({"space": _("Make the room bookable first (with its rate).")})


class OpeningHours(models.Model):
    """When a room may be booked on one weekday, in local wall-clock time."""

    rules = models.ForeignKey(
        RoomRules, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("room")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["rules", "weekday"],
                name="opening_hours_once_per_weekday",
                violation_error_message=_("This weekday already has opening hours."),
            ),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="opening_hours_close_after_open",
                violation_error_message=_("A room closes after it opens."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Allowance(models.Model):
    """Free room hours a company gets each month at one site; beyond them, bookings are priced."""

    company = models.ForeignKey(
        "tenants.Company",
        on_delete=models.CASCADE,
        related_name="room_allowances",
        verbose_name=_("company"),
    )
    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.CASCADE,
        related_name="room_allowances",
        verbose_name=_("site"),
    )
    hours_per_month = models.DecimalField(
        _("free hours per month"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room allowance")
        verbose_name_plural = _("room allowances")
        ordering = ["site__name", "company__legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "site"],
                name="allowance_once_per_company_and_site",
                violation_error_message=_("This company already has an allowance at this site."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__gte=0), name="allowance_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.site.name}"


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


#: Bookings that hold their slot.
ACTIVE_BOOKING = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class RoomBooking(Decided):
    """One room held for one person (and their company, if any) over ``[start, end)``."""

    space = models.ForeignKey(
        "sites.Space", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room")
    )
    during = DateTimeRangeField(_("time"))
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="room_bookings",
        verbose_name=_("booked for"),
    )
    company = models.ForeignKey(
        "tenants.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="room_bookings",
        verbose_name=_("company"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    title = models.CharField(_("purpose"), max_length=120, blank=True)
    attendees = models.PositiveSmallIntegerField(
        _("people"), default=1, validators=[MinValueValidator(1)]
    )
    price = models.DecimalField(_("price (MAD)"), max_digits=10, decimal_places=2, default=0)
    free_minutes = models.PositiveIntegerField(
        _("free minutes used"),
        default=0,
        help_text=_("Minutes taken from the company's monthly allowance."),
    )
    series = models.UUIDField(_("series"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        ordering = ["during"]
        constraints = [
            models.CheckConstraint(
                condition=Q(during__isempty=False)
                & Q(during__lower_inf=False)
                & Q(during__upper_inf=False)
                & Q(during__lower_inc=True)
                & Q(during__upper_inc=False),
                name="room_booking_during_bounded",
                violation_error_message=_("A booking ends after it starts."),
            ),
            ExclusionConstraint(
                name="room_booking_no_overlap",
                expressions=[("space", RangeOperators.EQUAL), ("during", RangeOperators.OVERLAPS)],
                condition=Q(status__in=ACTIVE_BOOKING),
                violation_error_message=_("This room is already booked at that time."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="room_booking_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(attendees__gte=1),
                name="room_booking_attendees_at_least_one",
                violation_error_message=_("A booking is for one person at least."),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    ExpressionWrapper(
                        F("free_minutes") * dt.timedelta(minutes=1), output_field=DurationField()
                    ),
                    ExpressionWrapper(
                        Func(F("during"), function="upper") - Func(F("during"), function="lower"),
                        output_field=DurationField(),
                    ),
                ),
                name="room_booking_free_minutes_within_duration",
                violation_error_message=_("More free minutes than the booking lasts."),
            ),
        ]
        indexes = [
            # A company's free minutes in a month, summed on every booking it makes: its
            # bookings starting in the month, not all it ever made.
            models.Index(
                F("company"),
                Func(F("during"), function="lower"),
                name="room_booking_company_start",
            ),
        ]

    def __str__(self):
        return f"{self.space} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def starts_at(self) -> dt.datetime:
        return self.during.lower

    @property
    def ends_at(self) -> dt.datetime:
        return self.during.upper

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BOOKING

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)
