"""Reads of companies and teams."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from technopark import access, dataversion
from technopark.models import User
from tenants.models import Company, Invitation, Membership
from tenants.models.offices import OPEN_APPLICATION
from tenants.models.requests import OPEN_REQUEST
from tenants.rent import monthly_rent
from tenants.selectors import kpi as kpi_selectors
from tenants.selectors import offices as office_selectors
from tenants.selectors import requests as request_selectors


def membership_list_for(user) -> QuerySet[Membership]:
    """The companies ``user`` acts for, with their home sites."""
    return (
        access.scope(Membership.objects.filter(user=user), user)
        .select_related("company__home_site")
        .order_by("company__legal_name")
    )


def team_of(company: Company, user) -> QuerySet[Membership]:
    """A company's members with their accounts, admins first."""
    return (
        access.scope(Membership.objects.filter(company=company), user)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def invitations_pending(company: Company, user) -> QuerySet[Invitation]:
    """Invitations of a company still waiting for an answer."""
    return (
        access.scope(Invitation.objects.filter(company=company), user, "tenants.view_invitation")
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


def directory(*, site_slug: str = "", sector: str = "", search: str = "") -> QuerySet[Company]:
    """Companies that chose a public profile, filtered, by name."""
    companies = access.public(Company.objects.all()).select_related("home_site")
    if site_slug:
        companies = companies.filter(home_site__slug=site_slug)
    if sector:
        companies = companies.filter(sector=sector)
    if search:
        companies = companies.filter(legal_name__icontains=search) | companies.filter(
            trade_name__icontains=search
        )
    return companies.order_by("legal_name")


def directory_entry(pk: int) -> Company:
    """One public company profile, or 404."""
    return get_object_or_404(access.public(Company.objects.select_related("home_site")), pk=pk)


def account_exists(email: str) -> bool:
    """Whether an account uses ``email`` (an invitee then logs in rather than signs up)."""
    return User.objects.filter(email__iexact=email).exists()


#: Overviews kept in this process (``technopark.dataversion``), least recently used first out.
_overviews = dataversion.Kept(500)


def portal_overview(*, company: Company, user, today) -> dict:
    """Everything the portal's home shows, in a fixed number of queries.

    The company's running contracts with their rent today, its open
    applications, its open requests (the five with the nearest deadline and the
    counts), its next appointments, its team and whether a quarterly report is due.
    Kept per company, person and day until a table it read is written or its
    first appointment starts (``technopark.dataversion``): seen again, it costs
    one query.
    """
    state = dataversion.current()
    # The person's roles were read before the versions: they are part of the key.
    return _overviews.get(
        (company.pk, access.fingerprint(user), today),
        state,
        lambda: _overview(company=company, user=user, today=today),
        expires=_next_change,
    )


def _next_change(overview: dict):
    """When the overview changes by itself: its first appointment starts (leaves the list)."""
    appointments = overview["appointments"]
    return appointments[0].slot.starts_at if appointments else None


def _overview(*, company: Company, user, today) -> dict:
    residencies = list(office_selectors.residencies_current(company, user, today=today))
    rates = office_selectors.rent_rate_list() if residencies else []
    for residency in residencies:
        residency.rent_today = monthly_rent(residency, on=today, rates=rates)
    requests = request_selectors.request_list_for_company(user=user, company=company).filter(
        status__in=OPEN_REQUEST
    )
    counts = requests.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=request_selectors.overdue(today))
    )
    due = kpi_selectors.last_due_quarter(today)
    return {
        "residencies": residencies,
        "applications": list(
            office_selectors.application_list_for_company(company, user).filter(
                status__in=OPEN_APPLICATION
            )
        ),
        "requests": list(requests.order_by("deadline", "pk")[:5]),
        "requests_open": counts["open"],
        "requests_overdue": counts["overdue"],
        "appointments": list(
            request_selectors.booking_list_for_company(user=user, company=company)
            .filter(cancelled_at__isnull=True, slot__starts_at__gte=timezone.now())
            .order_by("slot__starts_at")[:3]
        ),
        "team": list(team_of(company, user)),
        "kpi_due": due,
        "kpi_missing": kpi_selectors.report_missing(company, user, today=today),
    }
