"""Writes about companies: sign-up of a new applicant, profile changes."""

import datetime as dt

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from technopark import access, mail
from technopark.models import User
from technopark.refusals import refusal
from tenants.models import (
    Company,
    CompanyRole,
    CompanyStatus,
    ExitReason,
    Membership,
    ResidencyStatus,
)
from tenants.services.alumni import exit_record_checked

TAKEN = _("This value was taken a moment ago; choose another.")
EXPIRED_LINK = _(
    "This link has expired or was already used. Log in, or sign up again to receive a new one."
)


class SignUpTokens(PasswordResetTokenGenerator):
    """The link that confirms a sign-up's address: valid a day, once (it opens the account)."""

    key_salt = "tenants.services.company.SignUpTokens"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.email_confirmed}{timestamp}"


signup_tokens = SignUpTokens()

#: An account whose address was never confirmed is deleted, with its company, after this.
UNCONFIRMED_KEPT = dt.timedelta(days=7)


def signup_confirm_path(user: User) -> str:
    return reverse(
        "portal:signup_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), signup_tokens.make_token(user)],
    )


def _send_confirmation(user: User, company: Company) -> None:
    mail.send_to(
        [user], "company_signup_confirm", {"company": company, "url": signup_confirm_path(user)}
    )


def _tell_existing(user: User) -> None:
    """The address has an account: a sign-up never confirmed gets its link again."""
    if not user.email_confirmed:
        company = Company.objects.filter(memberships__user=user).order_by("pk").first()
        if company is not None:
            _send_confirmation(user, company)
            return
    mail.send_to([user], "company_signup_existing", {"url": reverse("login")})


@transaction.atomic
def company_sign_up(
    *,
    email: str,
    full_name: str,
    password: str,
    language: str,
    company_fields: dict,
) -> Company | None:
    """Create a person, their company (an applicant) and make them its admin.

    The account stays closed until its owner follows the link e-mailed to the
    address (``company_sign_up_confirm``), so nobody opens an account in
    another person's name. An address that already has an account creates
    nothing and returns None: its owner is told by e-mail (to log in, or the
    confirmation link again for a sign-up not yet confirmed), and the page
    answers as for a new address, so it never tells a visitor which addresses
    have accounts. Everything or nothing: an ICE already taken leaves no trace.
    """
    email = User.objects.normalize_email(email)
    try:
        # No look-up before the insert (two sign-ups with one address at once
        # would both find it free): a refusal with the address taken means it exists.
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                language=language,
                is_active=False,
                email_confirmed=False,
            )
    except IntegrityError:
        existing = User.objects.filter(email=email).first()
        if existing is None:
            raise
        _tell_existing(existing)
        return None
    try:
        with transaction.atomic():
            company = Company.objects.create(status=CompanyStatus.APPLICANT, **company_fields)
    except IntegrityError as error:
        raise refusal(TAKEN, code="ice_taken", field="ice") from error
    Membership.objects.create(company=company, user=user, role=CompanyRole.ADMIN)
    _send_confirmation(user, company)
    return company


def signup_pending_user(uidb64: str, token: str) -> User | None:
    """The account a confirmation link names, if the link is genuine, unused and not expired."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if user.email_confirmed or not signup_tokens.check_token(user, token):
        return None
    return user


@transaction.atomic
def company_sign_up_confirm(*, uidb64: str, token: str) -> User:
    """Open the account a sign-up created, once, with the link sent to its address."""
    user = signup_pending_user(uidb64, token)
    if user is None:
        raise refusal(EXPIRED_LINK, code="invalid_link")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.email_confirmed:  # the same link followed twice at once
        raise refusal(EXPIRED_LINK, code="invalid_link")
    locked.email_confirmed = True
    locked.is_active = True
    locked.save(update_fields=["email_confirmed", "is_active"])
    return locked


@transaction.atomic
def company_sign_up_purge_unconfirmed(*, now: dt.datetime) -> int:
    """Delete the sign-ups whose address was never confirmed, with their companies.

    Such an account never logged in, so its company has done nothing but exist;
    deleting it frees its ICE for the genuine company. Returns the accounts deleted.
    """
    users = User.objects.filter(email_confirmed=False, date_joined__lt=now - UNCONFIRMED_KEPT)
    Company.objects.filter(memberships__user__in=users, status=CompanyStatus.APPLICANT).exclude(
        memberships__user__email_confirmed=True
    ).delete()
    count, _ = users.delete()
    return count


@transaction.atomic
def company_update_profile(*, company: Company, actor: User, fields: dict) -> Company:
    """Change the profile fields a company's admin may edit (never status or site)."""
    if not access.allows(actor, "tenants.change_company", company):
        raise PermissionDenied
    editable = set(PROFILE_FIELDS)
    for name, value in fields.items():
        if name not in editable:
            raise ValueError(f"{name} is not editable from the portal")
        # A form's value (a file upload, or False to clear a logo) goes through
        # the field itself, as ModelForm.save() would.
        Company._meta.get_field(name).save_form_data(company, value)  # type: ignore[union-attr]  # profile fields are concrete
    company.full_clean()
    # Only these columns: a status the committee changes meanwhile is kept.
    company.save(update_fields=list(fields))
    return company


#: What a company's admin edits in the portal; the rest is staff's.
PROFILE_FIELDS = (
    "legal_name",
    "trade_name",
    "legal_form",
    "ice",
    "rc_number",
    "rc_court",
    "tax_id",
    "sector",
    "stage",
    "founded_on",
    "website",
    "description",
    "logo",
    "public_profile",
)


@transaction.atomic
def company_mark_alumni(*, company: Company, actor: User) -> bool:
    """Record that a resident company has left; refused while a contract still runs.

    Returns whether the company changed (only residents become alumni).
    """
    company = Company.objects.select_for_update(no_key=True).get(pk=company.pk)
    if not access.allows(actor, "tenants.change_company", company, via=access.VIA_SITE):
        raise PermissionDenied
    if company.status != CompanyStatus.RESIDENT:
        return False
    if company.residencies.filter(status=ResidencyStatus.ACTIVE).exists():
        raise refusal(
            _("%(company)s still has a running contract: end it first."),
            code="running_contract",
            params={"company": company},
        )
    exit_record_checked(
        company=company, user=actor, date=timezone.localdate(), reason=ExitReason.MOVED_OUT
    )
    return True
