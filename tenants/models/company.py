"""Companies hosted by the network, their people, and invitations to join them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from technopark.fields import WebsiteField
from technopark.uploads import IMAGES, FileRules, RandomName

ICE_VALIDATOR = RegexValidator(
    r"^\d{15}\Z", _("The ICE is exactly 15 digits, with no spaces or letters.")
)
RC_VALIDATOR = RegexValidator(
    r"^\d{1,10}\Z", _("The RC number is the registration number alone: digits only.")
)
IF_VALIDATOR = RegexValidator(r"^\d{6,10}\Z", _("The tax identifier (IF) is 6 to 10 digits."))


class LegalForm(models.TextChoices):
    SARL = "sarl", "SARL"
    SARL_AU = "sarl_au", "SARL AU"
    SA = "sa", "SA"
    SAS = "sas", "SAS"
    AUTO_ENTREPRENEUR = "auto_entrepreneur", _("Auto-entrepreneur")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    DIGITAL = "digital", _("Digital")
    GREEN_TECH = "green_tech", _("Green tech / sustainable development")
    CULTURAL_CREATIVE = "cultural_creative", _("Cultural and creative industries")
    VIDEO_GAMES = "video_games", _("Video games")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    PROJECT = "project", _("Project")
    STARTUP = "startup", _("Startup")
    SME = "sme", _("SME")
    LARGE = "large", _("Large company")


class Program(models.TextChoices):
    BOOST_UP_LAB = "boost_up_lab", "BOOST UP LAB"
    START = "start", "START"
    DEVELOP = "develop", "DEVELOP"
    ACCELERATE = "accelerate", "ACCELERATE"
    HOSTING = "hosting", _("Hosting only")


class CompanyStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESIDENT = "resident", _("Resident")
    ALUMNI = "alumni", _("Alumni")
    REJECTED = "rejected", _("Rejected")


class Company(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.SARL
    )
    ice = models.CharField(
        _("ICE"),
        max_length=15,
        unique=True,
        null=True,
        blank=True,
        validators=[ICE_VALIDATOR],
        help_text=_("Identifiant Commun de l'Entreprise: 15 digits."),
        error_messages={"unique": _("Another company is registered with this ICE.")},
    )
    rc_number = models.CharField(
        _("RC number"), max_length=10, blank=True, validators=[RC_VALIDATOR]
    )
    rc_court = models.CharField(
        _("RC court city"),
        max_length=100,
        blank=True,
        help_text=_("City of the commercial court that keeps the register, e.g. Casablanca."),
    )
    tax_id = models.CharField(
        _("tax identifier (IF)"), max_length=10, blank=True, validators=[IF_VALIDATOR]
    )
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, default=Sector.DIGITAL
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.STARTUP
    )
    program = models.CharField(
        _("support program"), max_length=20, choices=Program.choices, default=Program.HOSTING
    )
    program_start = models.DateField(_("program start"), null=True, blank=True)
    program_end = models.DateField(_("program end"), null=True, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    website = WebsiteField(_("website"), blank=True)
    description = models.TextField(
        _("public description"), blank=True, help_text=_("Shown in the public directory.")
    )
    logo = models.ImageField(
        _("logo"),
        upload_to=RandomName("logos"),
        blank=True,
        validators=[FileRules(max_mb=1, types=IMAGES)],
        help_text=_("PNG, JPEG or WebP, 1 MB at most."),
    )
    home_site = models.ForeignKey(
        "sites.Site",
        on_delete=models.PROTECT,
        related_name="companies",
        verbose_name=_("home site"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CompanyStatus.choices, default=CompanyStatus.APPLICANT
    )
    public_profile = models.BooleanField(
        _("public profile"),
        default=False,
        help_text=_("List the company in the public directory."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["legal_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ice__isnull=True) | Q(ice__regex=r"^[0-9]{15}$"),
                name="company_ice_15_digits",
                violation_error_message=_("The ICE is exactly 15 digits."),
            ),
            models.CheckConstraint(
                condition=~Q(status=CompanyStatus.RESIDENT) | Q(ice__isnull=False),
                name="company_resident_has_ice",
                violation_error_message=_("A resident company needs its ICE."),
            ),
            models.CheckConstraint(
                condition=Q(rc_number="") | ~Q(rc_court=""),
                name="company_rc_has_court",
                violation_error_message=_("Give the court city of the RC number."),
            ),
            models.CheckConstraint(
                condition=Q(program_start__isnull=True)
                | Q(program_end__isnull=True)
                | Q(program_end__gte=F("program_start")),
                name="company_program_ends_after_start",
                violation_error_message=_("The program cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["home_site", "status"])]

    def __str__(self):
        return self.trade_name or self.legal_name

    @property
    def display_name(self) -> str:
        return self.trade_name or self.legal_name


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


class Invitation(models.Model):
    """An invitation to join a company's team, accepted once through a signed link."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("company")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=20, choices=CompanyRole.choices, default=CompanyRole.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_email",
                violation_error_message=_("An invitation to this address is already pending."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.company}"
