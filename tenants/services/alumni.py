"""Writes about alumni: recording a company's exit, the yearly check-in and its answer.

Rules: an exit is recorded by one service (``company_exit_record``), whether a
contract closed or staff recorded it; a company has one exit (the latest).
Each alumnus gets one check-in a year, from the first anniversary of its exit,
unless it closed (at its exit or in an earlier answer). The check-in is
answered once, without an account, through a signed link that names the
check-in and its company and expires after ``CHECK_IN_DAYS`` days.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sites.models import Site
from technopark import access, mail
from technopark.models import User
from technopark.refusals import refusal
from tenants.models import (
    AlumniCheckIn,
    Company,
    CompanyExit,
    CompanyRole,
    CompanyStatus,
    ExitReason,
    Membership,
    ResidencyStatus,
)

CHECK_IN_SALT = "tenants.alumni-check-in"
#: How long a check-in link works after it was sent.
CHECK_IN_DAYS = 60


@transaction.atomic
def company_exit_record(
    *,
    company: Company,
    user: User | None,
    date: dt.date,
    reason: str,
    site: Site | None = None,
) -> CompanyExit:
    """Record that ``company`` left the network on ``date`` for ``reason`` (or correct it).

    Refused while a contract of the company still runs. The company becomes
    alumni. ``user`` None is the system (a contract that closed); a person
    must be allowed to record exits at the site (staff of its sites).
    """
    company = Company.objects.select_for_update(no_key=True).get(pk=company.pk)
    site = site or _site_left(company)
    if user is not None and not access.at_site(user, "tenants.add_companyexit", site):
        raise PermissionDenied
    return exit_record_checked(company=company, user=user, date=date, reason=reason, site=site)


def _site_left(company: Company) -> Site:
    last = company.residencies.order_by("-start").select_related("site").first()
    return last.site if last else company.home_site


def exit_record_checked(
    *, company: Company, user: User | None, date: dt.date, reason: str, site: Site | None = None
) -> CompanyExit:
    """``company_exit_record`` once the caller checked the person's right (a closing contract)."""
    site = site or _site_left(company)
    if reason not in ExitReason.values:
        raise refusal(_("Choose the reason of the exit."), code="reason", field="reason")
    exit_check(company=company, date=date)
    exit_, _created = CompanyExit.objects.update_or_create(
        company=company,
        defaults={"site": site, "date": date, "reason": reason, "recorded_by": user},
    )
    if company.status != CompanyStatus.ALUMNI:
        company.status = CompanyStatus.ALUMNI
        company._history_user = user  # type: ignore[attr-defined]
        company.save(update_fields=["status"])
    return exit_


def exit_check(*, company: Company, date: dt.date) -> None:
    """Refuse an exit while a contract runs, or dated before the start of a contract."""
    if company.residencies.filter(status=ResidencyStatus.ACTIVE).exists():
        raise refusal(
            _("%(company)s still has a running contract: end it first."),
            code="running_contract",
            params={"company": company},
        )
    if company.residencies.filter(start__gte=date).exists():
        raise refusal(
            _("The exit cannot come before the start of one of the company's contracts."),
            code="date",
            field="date",
        )


# --- The yearly check-in -------------------------------------------------------------------


def check_in_token(check_in: AlumniCheckIn) -> str:
    return signing.dumps(
        {"c": check_in.pk, "company": check_in.exit.company_id}, salt=CHECK_IN_SALT
    )


@dataclass(frozen=True)
class Opened:
    """What a check-in link opens: the check-in, or why not (``bad``, ``expired``)."""

    check_in: AlumniCheckIn | None
    problem: str = ""


def check_in_from_token(token: str) -> Opened:
    """The check-in a link names; ``bad`` for an altered link, ``expired`` for an old one."""
    try:
        data = signing.loads(token, salt=CHECK_IN_SALT, max_age=dt.timedelta(days=CHECK_IN_DAYS))
    except signing.SignatureExpired:
        return Opened(None, "expired")
    except signing.BadSignature:
        return Opened(None, "bad")
    pk, company = (data.get("c"), data.get("company")) if isinstance(data, dict) else (None, None)
    if not isinstance(pk, int) or not isinstance(company, int):
        return Opened(None, "bad")
    check_in = (
        AlumniCheckIn.objects.select_related("exit__company", "exit__site")
        .filter(pk=pk, exit__company_id=company)
        .first()
    )
    return Opened(check_in, "" if check_in else "bad")


def _answered_closed() -> Exists:
    return Exists(
        AlumniCheckIn.objects.filter(
            exit=OuterRef("pk"), answered_on__isnull=False, still_active=False
        )
    )


@transaction.atomic
def alumni_check_in_send_due(*, today: dt.date | None = None) -> int:
    """Send this year's check-in to each alumnus past the anniversary of its exit (daily).

    Idempotent: a check-in exists once per exit and year (a unique constraint),
    and only a check-in created now is sent. Closed companies are not asked.
    """
    today = today or timezone.localdate()
    due = (
        CompanyExit.objects.filter(date__year__lt=today.year)
        .exclude(reason=ExitReason.CLOSED)
        .exclude(_answered_closed())
        .exclude(check_ins__year=today.year)
        .filter(
            Exists(
                Membership.objects.filter(
                    company=OuterRef("company"), role=CompanyRole.ADMIN, user__is_active=True
                )
            )
        )
        .select_related("company", "site")
    )
    created = 0
    for exit_ in due:
        anniversary = _anniversary(exit_.date, today.year)
        if anniversary > today:
            continue
        check_in, was_created = AlumniCheckIn.objects.get_or_create(
            exit=exit_, year=today.year, defaults={"sent_on": today}
        )
        if not was_created:
            continue
        created += 1
        admins = User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(company=exit_.company, role=CompanyRole.ADMIN).values(
                "user"
            ),
        )
        link = settings.SITE_URL + reverse("alumni:check_in", args=[check_in_token(check_in)])
        mail.send_to(
            admins,
            "alumni_check_in",
            {
                "company": exit_.company,
                "site": exit_.site,
                "year": str(today.year),
                "link": link,
                "days": CHECK_IN_DAYS,
            },
        )
    return created


def _anniversary(date: dt.date, year: int) -> dt.date:
    try:
        return date.replace(year=year)
    except ValueError:  # 29 February
        return date.replace(year=year, day=28)


@transaction.atomic
def alumni_check_in_answer(
    *,
    check_in: AlumniCheckIn,
    still_active: bool,
    headcount_band: str = "",
    revenue_band: str = "",
    location: str = "",
    today: dt.date | None = None,
) -> AlumniCheckIn:
    """Record the answer to a check-in; refused when it was answered already (once a year)."""
    today = today or timezone.localdate()
    check_in = AlumniCheckIn.objects.select_for_update().get(pk=check_in.pk)
    if check_in.answered_on is not None:
        raise refusal(_("This check-in was answered already. Thank you."), code="answered")
    check_in.answered_on = today
    check_in.still_active = still_active
    check_in.headcount_band = headcount_band if still_active else ""
    check_in.revenue_band = revenue_band if still_active else ""
    check_in.location = location.strip()
    check_in.save()
    return check_in
