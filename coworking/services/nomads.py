"""Nomad members: sign-up on the public site, then a decision by the site's staff."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coworking.models import NomadProfile, NomadStatus, Pass, PassStatus
from coworking.services.common import staff_at, violated_constraint
from coworking.services.desks import pass_request
from sites.models import Site, StaffAssignment
from technopark import mail
from technopark.models import User


def _staff_of(site: Site):
    return [
        assignment.user
        for assignment in StaffAssignment.objects.filter(site=site).select_related("user")
        if assignment.user.is_active
    ]


@transaction.atomic
def nomad_signup(
    *,
    site: Site,
    user: User | None = None,
    email: str = "",
    full_name: str = "",
    password: str = "",
    language: str = "",
    nationality: str,
    document_kind: str,
    document_number: str,
    company_name: str = "",
    phone: str = "",
    pass_kind: str = "",
    pass_start: dt.date | None = None,
    now: dt.datetime | None = None,
) -> NomadProfile:
    """Sign up at ``site`` as a nomad member (a new account unless ``user`` is given).

    The profile waits for the site's staff, who are told by e-mail. A pass
    asked for at sign-up is requested at once and waits for them too. One
    member per identity document (a unique constraint).
    """
    now = now or timezone.now()
    if user is None:
        email = User.objects.normalize_email(email)
        if User.objects.filter(email=email).exists():
            raise ValidationError(
                {
                    "email": _(
                        "An account with this e-mail address exists: log in, "
                        "then come back to this page."
                    )
                }
            )
        extra = {"language": language} if language else {}
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, **extra
        )
    elif NomadProfile.objects.filter(user=user).exists():
        raise ValidationError(_("You have already signed up."), code="already_member")
    profile = NomadProfile(
        user=user,
        site=site,
        nationality=nationality,
        document_kind=document_kind,
        document_number=document_number,
        company_name=company_name,
        phone=phone,
    )
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        if violated_constraint(exc) == "nomad_document_unique":
            raise ValidationError(
                {"document_number": _("A member is already registered with this document.")}
            ) from None
        raise
    user.nomad_profile = profile
    if pass_kind and pass_start:
        try:
            pass_request(actor=user, site=site, kind=pass_kind, start=pass_start, now=now)
        except ValidationError as exc:
            raise ValidationError({"pass_start": exc.messages}) from None
    mail.send_to(_staff_of(site), "coworking_nomad_signup", {"profile": profile, "site": site})
    return profile


def _decide(*, actor, profile: NomadProfile, status: str, now) -> NomadProfile:
    profile = (
        NomadProfile.objects.select_for_update().select_related("user", "site").get(pk=profile.pk)
    )
    if not staff_at(actor, profile.site_id, "coworking.change_nomadprofile"):
        raise PermissionDenied
    if profile.status != NomadStatus.PENDING:
        raise ValidationError(_("This sign-up has already been decided."), code="decided")
    profile.status = status
    profile.decided_by, profile.decided_at = actor, now or timezone.now()
    profile.save(update_fields=["status", "decided_by", "decided_at"])
    mail.send_to([profile.user], "coworking_nomad_decided", {"profile": profile})
    return profile


@transaction.atomic
def nomad_approve(*, actor, profile: NomadProfile, now: dt.datetime | None = None):
    """Staff of the sign-up's site approve the member, who may then book rooms and get passes."""
    return _decide(actor=actor, profile=profile, status=NomadStatus.APPROVED, now=now)


@transaction.atomic
def nomad_reject(*, actor, profile: NomadProfile, now: dt.datetime | None = None):
    """Staff of the sign-up's site refuse the member; their requested passes are refused too."""
    profile = _decide(actor=actor, profile=profile, status=NomadStatus.REJECTED, now=now)
    Pass.objects.filter(
        holder=profile.user, company__isnull=True, status=PassStatus.REQUESTED
    ).update(status=PassStatus.REJECTED, decided_by=actor, decided_at=profile.decided_at)
    return profile
