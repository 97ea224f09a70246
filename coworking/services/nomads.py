"""Nomad members: sign-up on the public site, then a decision by the site's staff."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coworking.models import (
    ACTIVE_PASS,
    DocumentRetention,
    NomadProfile,
    NomadStatus,
    Pass,
    PassStatus,
)
from coworking.models.desks import DEFAULT_DOCUMENT_RETENTION_DAYS
from coworking.services.common import insert
from coworking.services.desks import pass_request
from sites.models import Site
from technopark import access, mail
from technopark.models import User


def _account(*, email: str, password: str, full_name: str, language: str) -> tuple[User, bool]:
    """A new account, or the one the address already has: ``(user, created)``.

    No look-up before the insert (two sign-ups with one address at once would
    both find it free): the insert is tried in a savepoint, and a refusal with
    the address now taken means the account exists.
    """
    extra = {"language": language} if language else {}
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, full_name=full_name, **extra
            )
    except IntegrityError:
        existing = User.objects.filter(email=email).first()
        if existing is None:
            raise
        return existing, False
    return user, True


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
) -> NomadProfile | None:
    """Sign up at ``site`` as a nomad member (a new account unless ``user`` is given).

    The profile waits for the site's staff, who are told by e-mail. A pass
    asked for at sign-up is requested at once and waits for them too. One
    member per identity document (a unique constraint).

    An e-mail address that already has an account creates nothing and returns
    None; the address's owner is told by e-mail to log in first. The page
    answers the same as for a new sign-up, so it never tells a visitor which
    addresses have accounts.
    """
    now = now or timezone.now()
    if user is None:
        email = User.objects.normalize_email(email)
        user, created = _account(
            email=email, password=password, full_name=full_name, language=language
        )
        if not created:
            join_url = reverse("coworking:join", args=[site.slug])
            mail.send_to([user], "coworking_nomad_signup_existing", {"site": site, "url": join_url})
            return None
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
    if insert(profile, refused_by=("nomad_document_unique",)):
        raise ValidationError(
            {"document_number": _("A member is already registered with this document.")}
        )
    user.nomad_profile = profile
    if pass_kind and pass_start:
        try:
            pass_request(actor=user, site=site, kind=pass_kind, start=pass_start, now=now)
        except ValidationError as exc:
            raise ValidationError({"pass_start": exc.messages}) from None
    deciders = access.staff_with("coworking.change_nomadprofile", site)
    mail.notify(
        deciders,
        "coworking_nomad_signup",
        {
            "profile": profile,
            "site": site,
            "path": reverse("coworking:approvals", args=[site.slug]),
        },
    )
    return profile


def _decide(*, actor, profile: NomadProfile, status: str, now) -> NomadProfile:
    profile = (
        NomadProfile.objects.select_for_update(of=("self",))
        .select_related("user", "site")
        .get(pk=profile.pk)
    )
    if not access.at_site(actor, "coworking.change_nomadprofile", profile.site_id):
        raise PermissionDenied
    if profile.status != NomadStatus.PENDING:
        raise ValidationError(_("This sign-up has already been decided."), code="decided")
    profile.save(update_fields=profile.decide(status=status, actor=actor, now=now))
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


def nomad_documents_expire(*, today: dt.date, now: dt.datetime | None = None) -> int:
    """Delete the identity document numbers each site no longer needs (law 09-08).

    A member's number goes once their site's retention period
    (``DocumentRetention``, else ``DEFAULT_DOCUMENT_RETENTION_DAYS``) has passed
    since the last day of their last pass at any site, or since they signed up
    if they never had one; a requested or running pass keeps it. The history's
    copies go too. Returns how many numbers were deleted.
    """
    profiles = list(
        NomadProfile.objects.exclude(document_number="").values(
            "pk", "user_id", "site_id", "created_at"
        )
    )
    if not profiles:
        return 0
    days = dict(DocumentRetention.objects.values_list("site_id", "days"))
    last_day: dict[int, dt.date] = {}
    keeps: set[int] = set()
    users = [profile["user_id"] for profile in profiles]
    for holder, period, status in Pass.objects.filter(holder__in=users).values_list(
        "holder_id", "period", "status"
    ):
        last = period.upper - dt.timedelta(days=1)  # the range's upper bound is exclusive
        if status in ACTIVE_PASS and last >= today:
            keeps.add(holder)
        if status == PassStatus.ACTIVE:
            last_day[holder] = max(last, last_day.get(holder, last))
    due = [
        profile["pk"]
        for profile in profiles
        if profile["user_id"] not in keeps
        and today
        > last_day.get(profile["user_id"], timezone.localdate(profile["created_at"]))
        + dt.timedelta(days=days.get(profile["site_id"], DEFAULT_DOCUMENT_RETENTION_DAYS))
    ]
    with transaction.atomic():
        count = (
            NomadProfile.objects.filter(pk__in=due)
            .exclude(document_number="")
            .update(document_number="", document_erased_at=now or timezone.now())
        )
        NomadProfile.history.filter(id__in=due).update(document_number="")
    return count
