"""Offices: applications to the allocation committee, residencies (contracts), attestations.

PostgreSQL guarantees that an office is let to one contract at a time, past
days included: each (residency, office) pair is a ``ResidencyOffice`` row
carrying the contract's date range (cut to ``[start, end)`` when the contract
ends), and an exclusion constraint forbids two rows of one office whose ranges
overlap. It also keeps each site's waiting list numbered without duplicates,
and the statuses of applications and contracts consistent with their dates.
"""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Deferrable, F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from technopark.models import Decided
from technopark.uploads import DOCUMENTS, FileRules, RandomName
from tenants.models.company import Company, Program


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_APPLICATION = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITING_LIST)
#: Statuses the committee set: they carry who decided and when.
DECIDED_APPLICATION = (
    ApplicationStatus.WAITING_LIST,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.REJECTED,
)


class OfficeApplication(Decided):
    """A company's request for an office at a site, decided by the allocation committee."""

    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.PROTECT,
        related_name="office_applications",
        verbose_name=_("site"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="applications", verbose_name=_("company")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("applicant"),
    )
    area_wanted_m2 = models.DecimalField(
        _("area wanted (m²)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(1)],
    )
    team_size = models.PositiveSmallIntegerField(_("team size"), validators=[MinValueValidator(1)])
    program_wanted = models.CharField(
        _("program wanted"), max_length=20, choices=Program.choices, default=Program.HOSTING
    )
    pitch = models.TextField(_("pitch"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    waiting_position = models.PositiveIntegerField(
        _("position on the waiting list"), null=True, blank=True
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office application")
        verbose_name_plural = _("office applications")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "site"],
                condition=Q(status__in=OPEN_APPLICATION),
                name="application_one_open_per_company_and_site",
                violation_error_message=_(
                    "This company already has an open application at this site."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.WAITING_LIST, waiting_position__isnull=False)
                | (~Q(status=ApplicationStatus.WAITING_LIST) & Q(waiting_position__isnull=True)),
                name="application_position_only_on_waiting_list",
            ),
            models.CheckConstraint(
                condition=Q(waiting_position__isnull=True) | Q(waiting_position__gte=1),
                name="application_position_from_1",
            ),
            # Deferred: renumbering a list moves rows through each other's
            # positions inside one transaction; the list is checked at the end.
            ExclusionConstraint(
                name="application_one_position_per_site",
                expressions=[
                    ("site", RangeOperators.EQUAL),
                    ("waiting_position", RangeOperators.EQUAL),
                ],
                condition=Q(status=ApplicationStatus.WAITING_LIST),
                deferrable=Deferrable.DEFERRED,
                violation_error_message=_("Another application holds this position."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REJECTED) | ~Q(decision_reason=""),
                name="application_rejection_has_reason",
                violation_error_message=_("A rejection needs its reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED_APPLICATION) | Q(decided_at__isnull=False),
                name="application_decision_is_dated",
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.site}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        OfficeApplication,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    file = models.FileField(
        _("file"),
        upload_to=RandomName("applications"),
        validators=[FileRules(max_mb=5, types=DOCUMENTS)],
    )
    original_name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class RentTier(models.TextChoices):
    STARTUP = "startup", _("Startup")
    STARTUP_MATURE = "startup_mature", _("Startup after 18 months")
    SME = "sme", _("SME")
    LARGE = "large", _("Large company")


class RentRate(models.Model):
    """The monthly rent per m² of a tier from a date on; staff change rates by adding rows."""

    tier = models.CharField(_("tier"), max_length=20, choices=RentTier.choices)
    monthly_rate_per_m2 = models.DecimalField(
        _("monthly rate per m² (MAD)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    effective_from = models.DateField(_("effective from"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rent rate")
        verbose_name_plural = _("rent rates")
        ordering = ["tier", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["tier", "effective_from"],
                name="rent_rate_one_per_tier_and_date",
                violation_error_message=_("This tier already has a rate from this date."),
            ),
            models.CheckConstraint(
                condition=Q(monthly_rate_per_m2__gte=0), name="rent_rate_not_negative"
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_tier_display()} · {self.monthly_rate_per_m2} MAD/m² · {self.effective_from}"
        )


class ResidencyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    TERMINATED = "terminated", _("Terminated")


class Residency(models.Model):
    """A company's contract for one or more offices at a site."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="residencies", verbose_name=_("company")
    )
    site = models.ForeignKey(
        "sites.Site", on_delete=models.PROTECT, related_name="residencies", verbose_name=_("site")
    )
    application = models.OneToOneField(
        OfficeApplication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residency",
        verbose_name=_("application"),
    )
    offices = models.ManyToManyField(
        "sites.Space",
        through="ResidencyOffice",
        related_name="residencies",
        verbose_name=_("offices"),
    )
    start = models.DateField(_("start"))
    firm_end = models.DateField(
        _("end of the firm period"),
        null=True,
        blank=True,
        help_text=_("22 months after the start, except for startups."),
    )
    end = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Empty while the contract runs on.")
    )
    tier = models.CharField(_("tier"), max_length=20, choices=RentTier.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ResidencyStatus.choices,
        default=ResidencyStatus.ACTIVE,
    )
    termination_reason = models.TextField(_("termination reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="residency_ends_after_start",
                violation_error_message=_("A residency must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(firm_end__isnull=True) | Q(firm_end__gt=F("start")),
                name="residency_firm_end_after_start",
                violation_error_message=_("The firm period must end after the start."),
            ),
            models.CheckConstraint(
                condition=Q(tier__in=[RentTier.STARTUP, RentTier.STARTUP_MATURE])
                | Q(firm_end__isnull=False),
                name="residency_non_startup_has_firm_period",
                violation_error_message=_("Contracts other than startups have a firm period."),
            ),
            models.CheckConstraint(
                condition=Q(status=ResidencyStatus.ACTIVE) | Q(end__isnull=False),
                name="residency_closed_has_end",
                violation_error_message=_("A closed contract has its end date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ResidencyStatus.TERMINATED) | ~Q(termination_reason=""),
                name="residency_termination_has_reason",
                violation_error_message=_("A termination needs its reason."),
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.site} · {self.start}"


class ResidencyOffice(models.Model):
    """One office of a residency, with a copy of the contract's dates and the office's area.

    ``period`` exists for the exclusion constraint; services keep it equal to
    the residency's ``[start, end)``, and a closed contract's leases keep their
    cut period, so the past stays guarded too. ``area_m2`` is the office's area
    on the day the contract was signed: the rent and the occupancy figures do
    not change when someone edits the office later.
    """

    residency = models.ForeignKey(
        Residency,
        on_delete=models.CASCADE,
        related_name="office_leases",
        verbose_name=_("residency"),
    )
    office = models.ForeignKey(
        "sites.Space",
        on_delete=models.PROTECT,
        related_name="leases",
        verbose_name=_("office"),
    )
    period = DateRangeField(_("period"))
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("leased office")
        verbose_name_plural = _("leased offices")
        constraints = [
            ExclusionConstraint(
                name="office_one_residency_at_a_time",
                expressions=[("office", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                violation_error_message=_("This office is already let for these dates."),
            ),
            models.UniqueConstraint(fields=["residency", "office"], name="residency_office_once"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="lease_area_positive"),
        ]

    def __str__(self):
        return f"{self.office} · {self.period}"


class Attestation(models.Model):
    """A residency attestation; anyone can check its code at /verify/<code>/."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="attestations", verbose_name=_("company")
    )
    residency = models.ForeignKey(
        Residency,
        on_delete=models.CASCADE,
        related_name="attestations",
        verbose_name=_("residency"),
    )
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.code
