"""Events: what happens in a site's rooms, who registered, who came.

An event holds ``seats_taken`` seats out of ``capacity``; PostgreSQL checks
``0 <= seats_taken <= capacity`` on every write, and the registration service
takes a seat with one conditional ``UPDATE`` (``seats_taken < capacity``), so no
count in Python can oversell it. A registration that holds a seat says so
(``holds_seat``): confirmed ones always, visitors waiting for their e-mail
confirmation for 24 hours. One person (account or address) registers once per
event (unique constraints). Each date of an event blocks its room through a
coworking room booking (``EventDate.booking``), created when the event is
published and cancelled with it.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from technopark.uploads import IMAGES, FileRules, RandomName
from tenants.models import Program


class EventKind(models.TextChoices):
    TALK = "talk", _("Talk")
    WORKSHOP = "workshop", _("Workshop or training")
    DEMO_DAY = "demo_day", _("Demo day")
    HACKATHON = "hackathon", _("Hackathon or game jam")
    MEETUP = "meetup", _("Meetup")
    PROGRAM_SESSION = "program_session", _("Program session")
    OFFICE_HOURS = "office_hours", _("Office hours")


class EventLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    RESIDENTS = "residents", _("Resident companies only")
    PROGRAM = "program", _("One program's companies")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Done")


#: Events the public pages show (the past ones stay readable).
VISIBLE = (EventStatus.PUBLISHED, EventStatus.DONE)


class Event(models.Model):
    site = models.ForeignKey(
        "sites.Site", on_delete=models.PROTECT, related_name="events", verbose_name=_("site")
    )
    room = models.ForeignKey(
        "sites.Space", on_delete=models.PROTECT, related_name="events", verbose_name=_("room")
    )
    title = models.CharField(_("title"), max_length=140)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    summary = models.CharField(_("summary"), max_length=280, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    language = models.CharField(
        _("language of the event"),
        max_length=2,
        choices=EventLanguage.choices,
        default=EventLanguage.FRENCH,
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    program = models.CharField(
        _("program"),
        max_length=20,
        choices=Program.choices,
        blank=True,
        help_text=_("For an event open to one program's companies only."),
    )
    organiser_company = models.ForeignKey(
        "tenants.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising company"),
        help_text=_("Empty when the site's staff organise it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the first date starts."),
    )
    price = models.DecimalField(
        _("price (MAD)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("0 for a free event."),
    )
    setup_minutes = models.PositiveSmallIntegerField(
        _("set-up (minutes)"),
        default=30,
        help_text=_("The room is held this long before each date."),
    )
    teardown_minutes = models.PositiveSmallIntegerField(
        _("tear-down (minutes)"),
        default=30,
        help_text=_("The room is held this long after each date."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    cover = models.ImageField(
        _("cover image"),
        upload_to=RandomName("events"),
        blank=True,
        validators=[FileRules(max_mb=2, types=IMAGES)],
        help_text=_("PNG, JPEG or WebP, 2 MB at most."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    #: When the first date starts and the last one ends (kept by the services).
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(seats_taken__gte=0) & Q(seats_taken__lte=F("capacity")),
                name="event_seats_within_capacity",
                violation_error_message=_("The event has fewer seats than people registered."),
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="event_price_not_negative"),
            models.CheckConstraint(
                condition=~Q(audience="program") | ~Q(program=""),
                name="event_program_audience_names_program",
                violation_error_message=_("Choose the program whose companies may come."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gt=F("registration_opens")),
                name="event_registration_closes_after_opening",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_free(self) -> bool:
        return not self.price

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    @property
    def closes_at(self) -> dt.datetime | None:
        return self.registration_closes or self.starts_at


class EventDate(models.Model):
    """One date of an event, ``[starts_at, ends_at)``; its room booking once published."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="dates", verbose_name=_("event")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    booking = models.OneToOneField(
        "coworking.RoomBooking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_date",
        verbose_name=_("room booking"),
    )

    class Meta:
        verbose_name = _("event date")
        verbose_name_plural = _("event dates")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_date_ends_after_start",
                violation_error_message=_("A date ends after it starts."),
            ),
            models.UniqueConstraint(
                fields=["event", "starts_at"],
                name="event_date_once",
                violation_error_message=_("The event already has a date at this time."),
            ),
        ]

    def __str__(self):
        return f"{self.event} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for e-mail confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not confirmed in time")


#: Registrations that still count (the person may come, or wait for a seat).
ACTIVE_REGISTRATION = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
)


class Registration(models.Model):
    """One person registered to one event: an account (with its company), or an address.

    Arrival order is the primary key's: registrations of one event are
    inserted one at a time (the service locks the event), so the waiting list
    is the waiting registrations by ``pk``.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("account"),
    )
    company = models.ForeignKey(
        "tenants.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("company"),
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    holds_seat = models.BooleanField(_("holds a seat"), default=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["pk"]
        constraints = [
            # Once per person while the registration counts: after a cancellation or an
            # unconfirmed address's expiry, the person may register again.
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=Q(status__in=ACTIVE_REGISTRATION),
                name="registration_once_per_address",
                violation_error_message=_("This address is already registered for this event."),
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False, status__in=ACTIVE_REGISTRATION),
                name="registration_once_per_account",
                violation_error_message=_("You are already registered for this event."),
            ),
            # Confirmed registrations hold a seat; waiting, cancelled, expired ones none.
            models.CheckConstraint(
                condition=Q(status="pending")
                | Q(status="confirmed", holds_seat=True)
                | Q(status__in=["waiting", "cancelled", "expired"], holds_seat=False),
                name="registration_seat_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_checked_in_is_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self):
        return f"{self.name} · {self.event}"


class Promotion(models.Model):
    """A waiting registration given a freed seat: when, and whose seat it was."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="promotions",
        verbose_name=_("registration"),
    )
    freed_by = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seat freed by"),
    )
    promoted_at = models.DateTimeField(_("promoted"), default=timezone.now)

    class Meta:
        verbose_name = _("waiting-list promotion")
        verbose_name_plural = _("waiting-list promotions")
        ordering = ["-promoted_at"]

    def __str__(self):
        return str(self.registration)
