"""The network's sites, their spaces, and who works where.

Figures (surfaces, capacities, desks) are data that staff correct in the
admin; ``sites/network.py`` only seeds them from the public record.
"""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from technopark.uploads import IMAGES, FileRules, RandomName

PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 .-]{5,22}[0-9]\Z",
    _("A phone number is digits, with spaces, dots or dashes, and may start with +."),
)


#: The largest photo staff may upload for a site's page.
PHOTO_MAX_MB = 5


class SiteStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    CLOSED = "closed", _("Closed")


class Site(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SiteStatus.choices, default=SiteStatus.PLANNED
    )
    opening_year = models.PositiveSmallIntegerField(
        _("opening year"), null=True, blank=True, validators=[MinValueValidator(1990)]
    )
    opened_on = models.DateField(_("opening date"), null=True, blank=True)
    planned_opening = models.DateField(
        _("planned opening"),
        null=True,
        blank=True,
        help_text=_("First day of the month or quarter announced for the opening."),
    )
    usable_area_m2 = models.PositiveIntegerField(_("usable surface (m²)"), null=True, blank=True)
    capacity_companies = models.PositiveIntegerField(
        _("capacity (companies)"), null=True, blank=True
    )
    coworking_desks = models.PositiveIntegerField(_("coworking desks"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[PHONE_VALIDATOR],
        help_text=_("Shown on the site's public page, e.g. +212 5 24 00 00 00."),
    )
    email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Shown on the site's public page.")
    )
    description = models.TextField(_("description"), blank=True)
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("Where the figures come from, one per line. Staff only: never shown publicly."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SiteStatus.OPERATING)
                | Q(opening_year__isnull=False)
                | Q(opened_on__isnull=False),
                name="site_operating_has_opening",
                violation_error_message=_("An operating site needs its opening year or date."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:site", args=[self.slug])

    @property
    def is_operating(self) -> bool:
        return self.status == SiteStatus.OPERATING

    @property
    def opened_year(self) -> int | None:
        return self.opened_on.year if self.opened_on else self.opening_year


class SitePhoto(models.Model):
    """A picture of a site that its staff upload, shown on the public page with its text."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="photos", verbose_name=_("site")
    )
    image = models.ImageField(
        _("photo"),
        upload_to=RandomName("site-photos"),
        validators=[FileRules(max_mb=PHOTO_MAX_MB, types=IMAGES)],
        help_text=_("PNG, JPEG or WebP, 5 MB at most."),
    )
    alt_text = models.CharField(
        _("description for people who cannot see it"),
        max_length=200,
        help_text=_("What the photo shows, e.g. The coworking area with its 35 desks."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Photos show in increasing position.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site photo")
        verbose_name_plural = _("site photos")
        ordering = ["site__name", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="site_photo_has_alt_text"),
        ]

    def __str__(self):
        return self.alt_text


class SpaceKind(models.TextChoices):
    OFFICE = "office", _("Office")
    COWORKING = "coworking", _("Coworking area")
    AGORA = "agora", _("Agora")
    TRAINING_ROOM = "training_room", _("Training room")
    GAMING_ROOM = "gaming_room", _("Gaming room")
    MEETING_ROOM = "meeting_room", _("Meeting room")
    ONE_STOP_SHOP = "one_stop_shop", _("One-stop-shop desk")


class Space(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="spaces", verbose_name=_("site")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SpaceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    floor = models.SmallIntegerField(
        _("floor"),
        null=True,
        blank=True,
        help_text=_("0 for the ground floor, -1 for the first basement."),
    )
    bookable = models.BooleanField(_("bookable"), default=False)
    hourly_rate = models.DecimalField(
        _("hourly rate (MAD)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["site__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name"],
                name="space_name_unique_per_site",
                violation_error_message=_("This site already has a space with this name."),
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__isnull=True) | Q(hourly_rate__gte=0),
                name="space_hourly_rate_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0),
                name="space_area_positive",
            ),
            models.CheckConstraint(
                condition=Q(bookable=False) | Q(hourly_rate__isnull=False),
                name="space_bookable_has_rate",
                violation_error_message=_(
                    "A bookable space needs an hourly rate (0 for a free room)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.site.name})"


class StaffRole(models.TextChoices):
    SITE_MANAGER = "site_manager", _("Site manager")
    FRONT_DESK = "front_desk", _("Front desk")
    ONE_STOP_SHOP_AGENT = "one_stop_shop_agent", _("One-stop-shop agent")


class StaffAssignment(models.Model):
    """A person working at a site, in one role there."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="staff", verbose_name=_("site")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_assignments",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=30, choices=StaffRole.choices)
    since = models.DateField(_("since"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        ordering = ["site__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "user"],
                name="staff_one_role_per_site",
                violation_error_message=_("This person already has a role at this site."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.site.name}"


class Closure(models.Model):
    """A day a site (or, without a site, the whole network) is closed: holidays, works."""

    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("site"),
        help_text=_("Leave empty for a closure of the whole network (public holiday)."),
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("reason"), max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "date"],
                name="closure_once_per_site_and_day",
                nulls_distinct=False,
                violation_error_message=_("This day is already closed."),
            ),
        ]

    def __str__(self):
        where = self.site.name if self.site_id else _("whole network")
        return f"{self.date:%Y-%m-%d} · {self.name} · {where}"
