"""Quarterly KPI reports: the figures behind the network's revenue and jobs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tenants.models.company import Company


class KPIReport(models.Model):
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="kpi_reports", verbose_name=_("company")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    headcount_full_time = models.PositiveIntegerField(_("full-time staff"))
    headcount_part_time = models.PositiveIntegerField(_("part-time staff"))
    interns = models.PositiveIntegerField(_("interns"))
    revenue = models.DecimalField(
        _("revenue of the quarter (MAD)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    funds_raised = models.DecimalField(
        _("funds raised in the quarter (MAD)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    export_share = models.DecimalField(
        _("export share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the revenue made abroad, from 0 to 100."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI report")
        verbose_name_plural = _("KPI reports")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year", "quarter"],
                name="kpi_one_report_per_quarter",
                violation_error_message=_("This quarter is already reported."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="kpi_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(export_share__gte=0, export_share__lte=100),
                name="kpi_export_share_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(revenue__gte=0, funds_raised__gte=0), name="kpi_amounts_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.year} Q{self.quarter}"

    @property
    def headcount(self) -> int:
        return self.headcount_full_time + self.headcount_part_time
