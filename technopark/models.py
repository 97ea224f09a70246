"""People: one account per e-mail address, whatever roles it holds.

Roles are not stored here but derived: a site-staff role comes from
``sites.StaffAssignment``, a company role from ``tenants.Membership``, and the
network-manager role is the one flag below. ``technopark.access`` reads them.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.models import ProcrastinateJob
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @staticmethod
    def normalize_email(email: str | None) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize_email(username))

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.pop("is_staff", None)  # derived from roles, see User.is_staff
        extra_fields["is_superuser"] = True
        return self.create_user(email, password, **extra_fields)


class NotificationMode(models.TextChoices):
    EMAIL = "email", _("Each notice by e-mail, as it happens")
    DIGEST = "digest", _("One daily digest")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Language of the e-mails this person receives."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    email_confirmed = models.BooleanField(
        _("e-mail address confirmed"),
        default=True,
        help_text=_(
            "False for an account opened on the public sign-up page until its owner follows "
            "the link sent to the address; until then nobody can log in with it."
        ),
    )
    is_network_manager = models.BooleanField(
        _("network manager"),
        default=False,
        help_text=_("MITC management: reads every site of the network."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    erasure_requested_at = models.DateTimeField(
        _("erasure requested"),
        null=True,
        blank=True,
        help_text=_(
            "When the person asked for the deletion of their data (law 09-08). A superuser "
            "completes it with the action 'Erase the selected people's personal data'."
        ),
    )
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    notification_mode = models.CharField(
        _("staff notices"),
        max_length=10,
        choices=NotificationMode.choices,
        default=NotificationMode.EMAIL,
        help_text=_(
            "How notices about the sites' work (approvals waiting, late requests and reports) "
            "reach this person."
        ),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="user_email_lowercase"
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split()[0]

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    @cached_property
    def is_staff(self) -> bool:
        """Admin access, derived: superusers, network managers and site staff."""
        from technopark import access

        return access.is_staff(self)


# --- What the e-mail jobs remember (technopark.mail) ----------------------------------


class MailDelivery(models.Model):
    """One e-mail handed to the mail server, under its job's key: a job run twice sends once."""

    key = models.CharField(_("key"), max_length=150, unique=True)
    to = models.EmailField(_("to"))
    template = models.CharField(_("template"), max_length=100)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")

    def __str__(self):
        return f"{self.template} → {self.to}"


class DigestEntry(models.Model):
    """A staff notice kept for its recipient's daily digest, then marked with that digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_entries",
        verbose_name=_("person"),
    )
    template = models.CharField(_("template"), max_length=100)
    context = models.JSONField(_("context"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    digest_key = models.CharField(_("digest"), max_length=150, blank=True, db_index=True)

    class Meta:
        verbose_name = _("digest entry")
        verbose_name_plural = _("digest entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["user", "digest_key"])]

    def __str__(self):
        return f"{self.template} → {self.user}"


class Notice(models.Model):
    """A notice given once (a late request's escalation): a later scan finds its key and waits."""

    key = models.CharField(_("key"), max_length=150, unique=True)
    created_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        verbose_name = _("notice given")
        verbose_name_plural = _("notices given")

    def __str__(self):
        return self.key


class Job(ProcrastinateJob):
    """A background job as staff see it in the admin: procrastinate's own row, read-only."""

    class Meta:
        proxy = True
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"  # not its arguments, which may hold a secret


class Decided(models.Model):
    """A row staff decide on (an office application, a room booking, a sign-up, a pass):
    its ``status``, who decided and when. Subclasses declare ``status`` themselves."""

    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    #: The fields :meth:`decide` sets, for ``save(update_fields=...)``.
    DECISION_FIELDS = ("status", "decided_by", "decided_at")

    class Meta:
        abstract = True

    def decide(self, *, status: str, actor, now=None) -> list[str]:
        """Record the decision (not saved): the fields to save."""
        self.status = status
        self.decided_by, self.decided_at = actor, now or timezone.now()
        return list(self.DECISION_FIELDS)
