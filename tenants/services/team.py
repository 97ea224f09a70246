"""Writes about a company's team: invitations, roles, departures.

Rules: only a company admin manages the team; an invitation is single-use and
expires; a company always keeps at least one admin. The last rule is checked
under a row lock on the company, so two admins demoting each other at the same
moment cannot leave the company without one.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from technopark import access, mail
from technopark.models import User
from technopark.refusals import refusal
from tenants.models import Company, CompanyRole, Invitation, Membership

INVITATION_SALT = "tenants.invitation"
INVITATION_DAYS = 7


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names, or None when the link was altered or is too old."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=dt.timedelta(days=INVITATION_DAYS))
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("company").filter(pk=pk).first()


def invitation_is_usable(invitation: Invitation) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and invitation.expires_at > timezone.now()
    )


@transaction.atomic
def invitation_send(*, company: Company, actor: User, email: str, role: str) -> Invitation:
    """Invite ``email`` to the team with ``role``; one pending invitation per address."""
    _require_team_admin(actor, company)
    email = User.objects.normalize_email(email)
    if Membership.objects.filter(company=company, user__email__iexact=email).exists():
        raise refusal(_("This person is already in the team."), code="already_member")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                company=company,
                email=email,
                role=role,
                invited_by=actor,
                expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
            )
    except IntegrityError:
        raise refusal(
            _("An invitation to this address is already pending."), code="already_invited"
        ) from None
    link = settings.SITE_URL + reverse(
        "portal:invitation_accept", args=[invitation_token(invitation)]
    )
    invitee = User.objects.filter(email__iexact=email).first() or User(
        email=email, language=actor.language
    )
    mail.send_to(
        [invitee],
        "team_invitation",
        {"company": company, "inviter": actor, "link": link, "days": INVITATION_DAYS},
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    """Withdraw a pending invitation; its link stops working."""
    _require_team_admin(actor, invitation.company)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise refusal(_("This invitation is no longer pending."), code="not_pending")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    language: str = settings.LANGUAGE_CODE,
) -> Membership:
    """Join the team through an invitation, once.

    An existing account must be the invited address's; otherwise a new account
    is created with the name and password the invitee chose.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation_is_usable(invitation):
        raise refusal(
            _("This invitation has expired, was withdrawn or has already been used."),
            code="unusable",
        )
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise refusal(
                _("An account already uses this address: log in to accept."), code="account_exists"
            )
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name, language=language
        )
    elif user.email.lower() != invitation.email.lower():
        raise refusal(
            _("This invitation was sent to another e-mail address."), code="other_address"
        )
    membership, _created = Membership.objects.get_or_create(
        company=invitation.company, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    access.forget(user)
    return membership


def _lock_admins(company: Company) -> list[Membership]:
    """Lock the company row, then read its admins: team changes queue up behind it."""
    Company.objects.select_for_update().filter(pk=company.pk).get()
    return list(Membership.objects.filter(company=company, role=CompanyRole.ADMIN))


def _require_team_admin(actor: User, company: Company) -> None:
    access.forget(actor)  # roles may have changed while we waited for the lock
    if not access.allows(actor, "tenants.manage_team", company):
        raise refusal(_("Only the company's admins manage its team."), code="not_admin")


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    """Make a teammate admin or member; the company keeps at least one admin."""
    admins = _lock_admins(membership.company)
    _require_team_admin(actor, membership.company)
    membership.refresh_from_db()
    if role == membership.role:
        return membership
    if membership.role == CompanyRole.ADMIN and len(admins) <= 1:
        raise refusal(
            _("The company needs at least one admin: name another one first."), code="last_admin"
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Take someone off the team (or leave it); never its last admin."""
    admins = _lock_admins(membership.company)
    if actor.pk != membership.user_id:
        _require_team_admin(actor, membership.company)
    membership.refresh_from_db()
    if membership.role == CompanyRole.ADMIN and len(admins) <= 1:
        raise refusal(
            _("The company needs at least one admin: name another one first."), code="last_admin"
        )
    membership.delete()
