"""Snapshots of the dashboard's figures for closed quarters, refreshed by a nightly job.

A closed quarter's figures barely change, but computing them reads every
request, booking and report of the network: the dashboard reads them from
these rows instead (``network.snapshots``), one query for the page, and says
when they were computed. The running quarter, a year, and any sector or
program filter are computed live, by the same functions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotGroup(models.TextChoices):
    TENANCY = "tenancy", _("Tenancy")
    IMPACT = "impact", _("Impact")
    REQUESTS = "requests", _("One-stop shop")
    COWORKING = "coworking", _("Coworking and rooms")
    LONG_VIEW = "long_view", _("Since the beginning and alumni")


class QuarterSnapshot(models.Model):
    """One indicator group's figures for one quarter, for one site's page (``site``) or
    for the network's page (``site`` empty: every site in ``site_ids`` and their total)."""

    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    site_ids = models.JSONField(_("sites"), default=list)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    group = models.CharField(_("indicators"), max_length=16, choices=SnapshotGroup.choices)
    figures = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "year", "quarter", "group"],
                nulls_distinct=False,
                name="one_snapshot_per_scope_quarter_group",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="snapshot_quarter_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.year}-Q{self.quarter} {self.site_id or 'network'}"
