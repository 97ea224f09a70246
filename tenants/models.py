"""Companies hosted by the network and the people who act for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CompanyStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESIDENT = "resident", _("Resident")
    ALUMNI = "alumni", _("Alumni")
    REJECTED = "rejected", _("Rejected")


class Company(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=200)
    home_site = models.ForeignKey(
        "sites.Site",
        on_delete=models.PROTECT,
        related_name="companies",
        verbose_name=_("home site"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CompanyStatus.choices, default=CompanyStatus.APPLICANT
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["legal_name"]

    def __str__(self):
        return self.legal_name


class CompanyRole(models.TextChoices):
    ADMIN = "admin", _("Company admin")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A person acting for a company, as its admin or as a member."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("company")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=CompanyRole.choices, default=CompanyRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["company__legal_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "user"],
                name="membership_unique",
                violation_error_message=_("This person is already in the team."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.company}"
