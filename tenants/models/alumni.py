"""Alumni: a company's exit from the network, its yearly check-ins, and the historical baseline.

The baseline holds the yearly figures from before the platform (companies
supported, jobs created, revenue), each with its source, entered by the
network manager; the dashboard adds them to the platform's own records.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tenants.models.company import Company


class ExitReason(models.TextChoices):
    GRADUATED = "graduated", _("Graduated")
    MOVED_OUT = "moved_out", _("Moved out")
    CLOSED = "closed", pgettext_lazy("exit reason", "Closed")
    ACQUIRED = "acquired", _("Acquired")
    MERGED = "merged", _("Merged")


class HeadcountBand(models.TextChoices):
    NONE = "0", _("Nobody")
    FEW = "1-5", _("1 to 5 people")
    SMALL = "6-20", _("6 to 20 people")
    MEDIUM = "21-50", _("21 to 50 people")
    LARGE = "51+", _("More than 50 people")


class RevenueBand(models.TextChoices):
    NONE = "0", _("No revenue")
    UNDER_1M = "<1m", _("Under 1 million MAD")
    UNDER_10M = "1m-10m", _("1 to 10 million MAD")
    OVER_10M = "10m+", _("More than 10 million MAD")


class CompanyExit(models.Model):
    """A company's departure from the network: one per company (the last one)."""

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="exit", verbose_name=_("company")
    )
    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.PROTECT,
        related_name="company_exits",
        verbose_name=_("site left"),
    )
    date = models.DateField(_("exit date"))
    reason = models.CharField(_("reason"), max_length=20, choices=ExitReason.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company exit")
        verbose_name_plural = _("company exits")
        ordering = ["-date"]
        indexes = [models.Index(fields=["site", "date"], name="tenants_exit_site_date")]

    def __str__(self):
        return f"{self.company} · {self.date.isoformat()}"


class AlumniCheckIn(models.Model):
    """The yearly question to an alumnus: still active? how big? where?

    One per exit and year (the database refuses a second); answered once,
    through a signed link, without an account.
    """

    exit = models.ForeignKey(
        CompanyExit, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("exit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    sent_on = models.DateField(_("sent"))
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    still_active = models.BooleanField(_("still active"), null=True, blank=True)
    headcount_band = models.CharField(
        _("headcount"), max_length=10, choices=HeadcountBand.choices, blank=True
    )
    revenue_band = models.CharField(
        _("yearly revenue"), max_length=10, choices=RevenueBand.choices, blank=True
    )
    location = models.CharField(_("where the company is now"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alumni check-in")
        verbose_name_plural = _("alumni check-ins")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["exit", "year"], name="alumni_one_check_in_a_year"),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(still_active__isnull=False),
                name="alumni_answer_says_whether_active",
            ),
        ]

    def __str__(self):
        return f"{self.exit.company} · {self.year}"


class HistoricalBaseline(models.Model):
    """One year of figures from before the platform, for a site or the whole network."""

    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="baseline",
        verbose_name=_("site"),
        help_text=_("Empty for a figure of the whole network that no site breaks down."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    companies_supported = models.PositiveIntegerField(
        _("companies supported"), help_text=_("New companies supported that year.")
    )
    jobs_created = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    revenue = models.DecimalField(
        _("revenue of hosted companies (MAD)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    source = models.TextField(
        _("source"), help_text=_("Where the figures come from: report, year, page.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("historical baseline")
        verbose_name_plural = _("historical baseline")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "year"],
                name="baseline_one_row_per_site_and_year",
                nulls_distinct=False,
                violation_error_message=_("This year already has its figures for this site."),
            ),
            models.CheckConstraint(condition=~Q(source=""), name="baseline_has_a_source"),
        ]

    def __str__(self):
        return f"{self.site or _('Network')} · {self.year}"
