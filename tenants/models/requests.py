"""The one-stop shop (guichet unique): services, requests and their threads, appointments."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from technopark.uploads import DOCUMENTS, FileRules, RandomName
from tenants.models.company import Company


class ServiceCategory(models.TextChoices):
    COMPANY_CREATION = "company_creation", _("Company creation")
    DOMICILIATION = "domiciliation", _("Domiciliation or residency attestation")
    INVITATION_LETTER = "invitation_letter", _("Invitation letter for a foreign founder")
    BADGE = "badge", _("Badge or access")
    MAINTENANCE = "maintenance", _("Maintenance")
    LEGALISATION = "legalisation", _("Document legalisation")
    SOCIAL = "social", _("Social security and employment")
    OTHER = "other", _("Other")


class Partner(models.TextChoices):
    NONE = "", _("Technopark")
    OMPIC = "ompic", "OMPIC"
    CNSS = "cnss", "CNSS"
    ANAPEC = "anapec", "ANAPEC"
    CIMR = "cimr", "CIMR"
    INSURANCE = "insurance", _("Insurer")
    ACCOUNTANT = "accountant", _("Accountant")


class Service(models.Model):
    """An entry of a site's one-stop-shop catalogue."""

    site = models.ForeignKey(
        "sites.Site", on_delete=models.CASCADE, related_name="services", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=30, choices=ServiceCategory.choices)
    partner = models.CharField(
        _("partner desk"), max_length=20, choices=Partner.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    documents_needed = models.TextField(
        _("documents needed"),
        blank=True,
        help_text=_("What the company brings or uploads, one document per line."),
    )
    target_days = models.PositiveSmallIntegerField(
        _("target time (working days)"),
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    needs_appointment = models.BooleanField(_("needs an appointment"), default=False)
    active = models.BooleanField(_("offered"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["site__name", "category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name"],
                name="service_name_unique_per_site",
                violation_error_message=_("This site already offers a service with this name."),
            ),
            models.CheckConstraint(
                condition=Q(target_days__gte=1), name="service_target_at_least_one_day"
            ),
        ]

    def __str__(self):
        return self.name


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_FOR_TENANT = "waiting_for_tenant", _("Waiting for the company")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected")


OPEN_REQUEST = (
    RequestStatus.SUBMITTED,
    RequestStatus.IN_PROGRESS,
    RequestStatus.WAITING_FOR_TENANT,
)


class ServiceRequest(models.Model):
    """A company's request to the one-stop shop, worked by an agent of the site."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="requests", verbose_name=_("company")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("agent"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    deadline = models.DateField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REJECTED) | ~Q(rejection_reason=""),
                name="request_rejection_has_reason",
                violation_error_message=_("A rejection needs its reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.IN_PROGRESS) | Q(assigned_to__isnull=False),
                name="request_in_progress_has_agent",
                violation_error_message=_("A request in progress needs an agent."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_REQUEST, closed_at__isnull=True)
                | (~Q(status__in=OPEN_REQUEST) & Q(closed_at__isnull=False)),
                name="request_closed_at_iff_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"#{self.pk} · {self.service} · {self.company}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST


class RequestEvent(models.Model):
    """One transition of a request: who moved it, when, from what to what."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_status = models.CharField(
        _("from"), max_length=20, choices=RequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=RequestStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class RequestMessage(models.Model):
    """A message in a request's thread between the company and the agent."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


class RequestAttachment(models.Model):
    """A file attached to a request (or to one of its messages); served only through the gate."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("request"),
    )
    message = models.ForeignKey(
        RequestMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("message"),
    )
    file = models.FileField(
        _("file"),
        upload_to=RandomName("requests"),
        validators=[FileRules(max_mb=5, types=DOCUMENTS)],
        help_text=_("PDF, PNG or JPEG, 5 MB at most."),
    )
    original_name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class TsTzRange(Func):
    """PostgreSQL's ``tstzrange(start, end)``: the half-open range ``[start, end)``."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class AppointmentSlot(models.Model):
    """A time a partner desk (or the one-stop shop) receives one company."""

    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.CASCADE,
        related_name="appointment_slots",
        verbose_name=_("site"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="slots",
        verbose_name=_("service"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="slot_ends_after_start",
                violation_error_message=_("A slot must end after it starts."),
            ),
            # A desk receives one company at a time: a service's slots never overlap
            # (back-to-back slots do not: the ranges are half-open).
            ExclusionConstraint(
                name="slot_no_overlap_per_service",
                expressions=[
                    ("service", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("This service already has a slot at this time."),
            ),
        ]

    def __str__(self):
        return f"{self.service} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class AppointmentBooking(models.Model):
    """A company holding a slot; the database allows one live holder per slot."""

    # A slot that was ever booked stays: deleting it would silently take the
    # companies' appointments (and their history) with it.
    slot = models.ForeignKey(
        AppointmentSlot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot")
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("company")
    )
    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("request"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    booked_at = models.DateTimeField(_("booked"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(cancelled_at__isnull=True),
                name="slot_one_live_holder",
                violation_error_message=_("This slot has just been taken."),
            ),
        ]

    def __str__(self):
        return f"{self.slot} · {self.company}"
