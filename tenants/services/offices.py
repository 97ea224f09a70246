"""Writes of the offices area: applications, committee decisions, contracts, attestations.

Every function here enforces one rule of the allocation committee or of the
contracts and says which in its docstring. Callers (portal views, the staff
admin) check *who* may act through ``technopark.access``; these functions check
*what* may be done. A refusal is a ``ValidationError`` whose message is meant
for the person, raised before anything is saved (or inside the transaction
that it rolls back), so nothing is ever half-saved.
"""

import calendar
import datetime as dt
import io
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from simple_history.utils import bulk_update_with_history

from sites.models import Site, Space, SpaceKind, StaffRole
from technopark import mail
from technopark.models import User
from tenants.models import (
    ApplicationDocument,
    ApplicationStatus,
    Attestation,
    Company,
    CompanyRole,
    CompanyStatus,
    OfficeApplication,
    RentRate,
    RentTier,
    Residency,
    ResidencyOffice,
    ResidencyStatus,
    Stage,
)
from tenants.models.offices import OPEN_APPLICATION

#: Startups pay the STARTUP rate this many months, then the STARTUP_MATURE rate.
STARTUP_RATE_MONTHS = 18
#: Contracts of SMEs and large companies cannot end before this many months.
FIRM_MONTHS = 22
#: How long an attestation can be shown to a third party.
ATTESTATION_VALID_MONTHS = 3
#: The tiers that have a firm period.
FIRM_TIERS = (RentTier.SME, RentTier.LARGE)

#: The public tariff (challenge.ma, leconomiste): seed data for ``rent_rates_load``.
DEFAULT_RATES = {
    RentTier.STARTUP: Decimal("50.00"),
    RentTier.STARTUP_MATURE: Decimal("100.00"),
    RentTier.SME: Decimal("100.00"),
    RentTier.LARGE: Decimal("130.00"),
}
DEFAULT_RATES_FROM = dt.date(2000, 1, 1)

CENT = Decimal("0.01")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def _admins_of(company: Company):
    return User.objects.filter(
        memberships__company=company, memberships__role=CompanyRole.ADMIN, is_active=True
    )


def _managers_of(site: Site):
    return User.objects.filter(
        staff_assignments__site=site,
        staff_assignments__role=StaffRole.SITE_MANAGER,
        is_active=True,
    )


def _save(instance, user, **kwargs) -> None:
    """Save a row that keeps history, recording who made the change."""
    instance._history_user = user
    instance.save(**kwargs)


# --- Rent: the tier rule and the rates ----------------------------------------------------


def tier_for_company(company: Company) -> str:
    """The tier a new contract of ``company`` starts in, from its stage."""
    return {Stage.SME: RentTier.SME, Stage.LARGE: RentTier.LARGE}.get(
        company.stage, RentTier.STARTUP
    )


def rent_tier_on(residency: Residency, *, on: dt.date) -> str:
    """The tier a residency pays on a day.

    The one place of the rule: a startup pays the STARTUP rate during its first
    18 months of residency and the STARTUP_MATURE rate after; other tiers stay.
    """
    if residency.tier == RentTier.STARTUP and on >= add_months(
        residency.start, STARTUP_RATE_MONTHS
    ):
        return RentTier.STARTUP_MATURE
    return residency.tier


def monthly_rate(
    residency: Residency, *, on: dt.date, rates: Sequence[RentRate] | None = None
) -> Decimal | None:
    """The monthly rent per m² of ``residency`` on ``on``: its tier's rate in force that day.

    Rates are ``RentRate`` rows (staff change a rate by adding a row with a new
    ``effective_from``). ``rates`` may be passed already read (``rent_rate_list``)
    to price many contracts with one query. None when no rate is in force.
    """
    tier = rent_tier_on(residency, on=on)
    if rates is None:
        rates = RentRate.objects.filter(tier=tier, effective_from__lte=on).order_by(
            "-effective_from"
        )[:1]
    in_force = [r for r in rates if r.tier == tier and r.effective_from <= on]
    if not in_force:
        return None
    return max(in_force, key=lambda r: r.effective_from).monthly_rate_per_m2


def leased_area(residency: Residency) -> Decimal:
    """The m² of the offices a residency leases (uses prefetched ``office_leases``)."""
    return sum((lease.office.area_m2 or Decimal(0) for lease in residency.office_leases.all()),
               Decimal(0))  # fmt: skip


def monthly_rent(
    residency: Residency, *, on: dt.date, rates: Sequence[RentRate] | None = None
) -> Decimal | None:
    """The monthly rent of ``residency`` on ``on`` (excl. VAT): rate × leased m²."""
    rate = monthly_rate(residency, on=on, rates=rates)
    if rate is None:
        return None
    return (rate * leased_area(residency)).quantize(CENT)


@transaction.atomic
def rent_rates_load() -> int:
    """Create the default rate of each tier, effective 2000-01-01, where the tier has none.

    A tier with any rate (staff may have changed it) is left alone. Returns how
    many rates were created.
    """
    existing = set(RentRate.objects.values_list("tier", flat=True))
    created = [
        RentRate(tier=tier, monthly_rate_per_m2=amount, effective_from=DEFAULT_RATES_FROM)
        for tier, amount in DEFAULT_RATES.items()
        if tier not in existing
    ]
    for rate in created:
        rate.save()
    return len(created)


# --- Applications ----------------------------------------------------------------------------


def _lock_site(site_id: int) -> None:
    """Serialize the committee's decisions at one site (the waiting list is per site)."""
    Site.objects.select_for_update().filter(pk=site_id).first()


def _lock_open(application: OfficeApplication) -> OfficeApplication:
    _lock_site(application.site_id)
    locked = (
        OfficeApplication.objects.select_for_update(of=("self",))
        .select_related("company", "site")
        .get(pk=application.pk)
    )
    if locked.status not in OPEN_APPLICATION:
        raise ValidationError(
            _("This application is no longer open (%(status)s).")
            % {"status": locked.get_status_display()},
            code="closed",
        )
    return locked


def _waiting_list(site_id: int, *, without: int | None = None) -> list[OfficeApplication]:
    return list(
        OfficeApplication.objects.filter(site_id=site_id, status=ApplicationStatus.WAITING_LIST)
        .exclude(pk=without)
        .order_by("waiting_position", "created_at")
    )


def _renumber(waiting: list[OfficeApplication], user, *, saved_apart: int | None = None) -> None:
    """Give ``waiting`` (in order) the positions 1..n, saving the rows that moved.

    The row ``saved_apart`` gets its position but its caller saves it.
    """
    moved = []
    for position, application in enumerate(waiting, start=1):
        if application.waiting_position != position:
            application.waiting_position = position
            if application.pk != saved_apart:
                moved.append(application)
    if moved:
        bulk_update_with_history(moved, OfficeApplication, ["waiting_position"], default_user=user)


def _decide(application: OfficeApplication, user, status: str, reason: str = "") -> None:
    application.status = status
    application.waiting_position = None
    application.decision_reason = reason
    application.decided_by = user
    application.decided_at = timezone.now()


def _notify_decision(application: OfficeApplication, template: str, **context) -> None:
    mail.send_to(
        _admins_of(application.company),
        template,
        {"application": application, "company": application.company, **context},
    )


@transaction.atomic
def application_submit(
    *,
    company: Company,
    site: Site,
    user: User,
    area_wanted_m2: Decimal,
    team_size: int,
    program_wanted: str,
    pitch: str,
    documents: Iterable[UploadedFile] = (),
) -> OfficeApplication:
    """A company applies for an office at an operating site, with its documents.

    One open application per company and site (a database constraint). Every
    document is checked (type, size) before anything is written. A company that
    was rejected becomes an applicant again. The site's managers are told.
    """
    if not site.is_operating:
        raise ValidationError(_("This site does not take applications yet."), code="site")
    files = []
    for upload in documents:
        document = ApplicationDocument(
            file=upload, original_name=upload.name[:200], size=upload.size
        )
        document.full_clean(exclude=["application"])
        files.append(document)
    application = OfficeApplication(
        company=company,
        site=site,
        applicant=user,
        area_wanted_m2=area_wanted_m2,
        team_size=team_size,
        program_wanted=program_wanted,
        pitch=pitch.strip(),
    )
    try:
        with transaction.atomic():
            _save(application, user)
    except IntegrityError as error:
        raise ValidationError(
            _(
                "%(company)s already has an open application at %(site)s: follow it, or "
                "withdraw it before applying again."
            )
            % {"company": company, "site": site},
            code="open_application",
        ) from error
    for document in files:
        document.application = application
        document.save()
    if company.status == CompanyStatus.REJECTED:
        company.status = CompanyStatus.APPLICANT
        _save(company, user, update_fields=["status"])
    mail.send_to(
        _managers_of(site),
        "office_application_submitted",
        {"application": application, "company": company, "site": site},
    )
    return application


@transaction.atomic
def application_document_add(
    *, application: OfficeApplication, user: User, documents: Iterable[UploadedFile]
) -> list[ApplicationDocument]:
    """Add documents to an open application (checked first, all or none)."""
    application = _lock_open(application)
    added = []
    for upload in documents:
        document = ApplicationDocument(
            application=application, file=upload, original_name=upload.name[:200], size=upload.size
        )
        document.full_clean()
        added.append(document)
    for document in added:
        document.save()
    return added


@transaction.atomic
def application_withdraw(*, application: OfficeApplication, user: User) -> OfficeApplication:
    """The applicant withdraws an open application; the waiting list closes up behind it."""
    application = _lock_open(application)
    was_waiting = application.status == ApplicationStatus.WAITING_LIST
    application.status = ApplicationStatus.WITHDRAWN
    application.waiting_position = None
    _save(application, user)
    if was_waiting:
        _renumber(_waiting_list(application.site_id), user)
    return application


@transaction.atomic
def application_wait(
    *,
    application: OfficeApplication,
    user: User,
    position: int | None = None,
    reason: str = "",
) -> OfficeApplication:
    """Put an open application on its site's waiting list, or move it within the list.

    At the end without ``position``; at ``position`` otherwise (clamped to the
    list), the others shifting down. Positions stay 1..n per site.
    """
    application = _lock_open(application)
    waiting = _waiting_list(application.site_id, without=application.pk)
    index = len(waiting) if position is None else min(max(position, 1) - 1, len(waiting))
    _decide(application, user, ApplicationStatus.WAITING_LIST, reason.strip())
    waiting.insert(index, application)
    _renumber(waiting, user, saved_apart=application.pk)
    _save(application, user)
    _notify_decision(application, "office_application_waiting")
    return application


@transaction.atomic
def application_reject(
    *, application: OfficeApplication, user: User, reason: str
) -> OfficeApplication:
    """The committee rejects an open application, always with a reason the company reads.

    An applicant company with no other open application becomes "rejected".
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("A rejection needs its reason."), code="reason")
    application = _lock_open(application)
    was_waiting = application.status == ApplicationStatus.WAITING_LIST
    _decide(application, user, ApplicationStatus.REJECTED, reason)
    _save(application, user)
    if was_waiting:
        _renumber(_waiting_list(application.site_id), user)
    company = application.company
    still_open = company.applications.filter(status__in=OPEN_APPLICATION).exists()
    if company.status == CompanyStatus.APPLICANT and not still_open:
        company.status = CompanyStatus.REJECTED
        _save(company, user, update_fields=["status"])
    _notify_decision(application, "office_application_rejected")
    return application


@transaction.atomic
def application_accept(
    *,
    application: OfficeApplication,
    user: User,
    offices: Iterable[Space],
    start: dt.date,
    tier: str | None = None,
    reason: str = "",
) -> Residency:
    """The committee accepts an application and allots offices of its site from ``start``.

    Creates the residency (``residency_create``: offices free, company with its
    ICE becomes resident) and records the decision; the company's admins are told.
    """
    application = _lock_open(application)
    was_waiting = application.status == ApplicationStatus.WAITING_LIST
    residency = residency_create(
        company=application.company,
        site=application.site,
        offices=offices,
        start=start,
        tier=tier or tier_for_company(application.company),
        user=user,
        application=application,
    )
    _decide(application, user, ApplicationStatus.ACCEPTED, reason.strip())
    _save(application, user)
    if was_waiting:
        _renumber(_waiting_list(application.site_id), user)
    _notify_decision(application, "office_application_accepted", residency=residency)
    return residency


# --- Residencies (contracts) ---------------------------------------------------------------


def _busy_offices(offices: Iterable[Space], start: dt.date, end: dt.date | None) -> list[Space]:
    busy = set(
        ResidencyOffice.objects.filter(
            office__in=offices, active=True, period__overlap=DateRange(start, end, "[)")
        ).values_list("office_id", flat=True)
    )
    return [office for office in offices if office.pk in busy]


def _names(offices: Iterable[Space]) -> str:
    return ", ".join(office.name for office in offices)


@transaction.atomic
def residency_create(
    *,
    company: Company,
    site: Site,
    offices: Iterable[Space],
    start: dt.date,
    tier: str,
    user: User | None,
    end: dt.date | None = None,
    application: OfficeApplication | None = None,
) -> Residency:
    """A contract for one or more offices of ``site`` from ``start`` (to ``end``, if fixed).

    Offices must be offices of that site, with their area, and free over the
    contract's dates: PostgreSQL refuses a second active lease of an office on
    overlapping dates, even between two requests at the same instant. SMEs and
    large companies sign 22 months firm (``firm_end``); startups have no firm
    period. The company needs its ICE and becomes resident.
    """
    offices = sorted(set(offices), key=lambda office: office.pk)
    if not offices:
        raise ValidationError(_("Choose at least one office."), code="offices")
    foreign = [o for o in offices if o.site_id != site.pk or o.kind != SpaceKind.OFFICE]
    if foreign:
        raise ValidationError(
            _("Not an office of %(site)s: %(offices)s.")
            % {"site": site, "offices": _names(foreign)},
            code="offices",
        )
    without_area = [o for o in offices if not o.area_m2]
    if without_area:
        raise ValidationError(
            _("Give the area of these offices first: %(offices)s.")
            % {"offices": _names(without_area)},
            code="offices",
        )
    if end is not None and end <= start:
        raise ValidationError(_("The end must come after the start."), code="end")
    firm_end = add_months(start, FIRM_MONTHS) if tier in FIRM_TIERS else None
    if end is not None and firm_end is not None and end < firm_end:
        raise ValidationError(
            _("This contract is firm for %(months)d months: it cannot end before %(date)s.")
            % {"months": FIRM_MONTHS, "date": firm_end.isoformat()},
            code="end",
        )
    if not company.ice:
        raise ValidationError(
            _(
                "%(company)s has no ICE yet, and a contract needs it. Ask the company to "
                "enter its ICE in its profile, then try again."
            )
            % {"company": company},
            code="ice",
        )
    residency = Residency(
        company=company,
        site=site,
        application=application,
        start=start,
        end=end,
        firm_end=firm_end,
        tier=tier,
        status=ResidencyStatus.ACTIVE,
    )
    _save(residency, user)
    period = DateRange(start, end, "[)")
    try:
        with transaction.atomic():
            ResidencyOffice.objects.bulk_create(
                [
                    ResidencyOffice(residency=residency, office=office, period=period, active=True)
                    for office in offices
                ]
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Already let on these dates: %(offices)s.")
            % {"offices": _names(_busy_offices(offices, start, end)) or _names(offices)},
            code="busy",
        ) from error
    if company.status != CompanyStatus.RESIDENT:
        company.status = CompanyStatus.RESIDENT
        _save(company, user, update_fields=["status"])
    return residency


def _lock_active(residency: Residency) -> Residency:
    locked = Residency.objects.select_for_update().select_related("company").get(pk=residency.pk)
    if locked.status != ResidencyStatus.ACTIVE:
        raise ValidationError(_("This contract has already ended."), code="ended")
    return locked


def _close(residency: Residency, user, end: dt.date, status: str, today: dt.date) -> None:
    """Set the end; the status changes once the end has come. Leases follow, then the company."""
    residency.end = end
    if end <= today:
        residency.status = status
    _save(residency, user)
    try:
        with transaction.atomic():
            residency.office_leases.update(
                period=DateRange(residency.start, end, "[)"),
                active=residency.status == ResidencyStatus.ACTIVE,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("An office of this contract is let to someone else before %(date)s.")
            % {"date": end.isoformat()},
            code="busy",
        ) from error
    if residency.status != ResidencyStatus.ACTIVE:
        _company_may_leave(residency.company, user)


def _company_may_leave(company: Company, user) -> None:
    """A resident with no running contract left becomes alumni."""
    running = company.residencies.filter(status=ResidencyStatus.ACTIVE).exists()
    if company.status == CompanyStatus.RESIDENT and not running:
        company.status = CompanyStatus.ALUMNI
        _save(company, user, update_fields=["status"])


@transaction.atomic
def residency_end(
    *, residency: Residency, user: User | None, end: dt.date, today: dt.date | None = None
) -> Residency:
    """The contract ends normally on ``end`` (the first day the offices are free).

    Not before the firm period is over (terminate with a reason for that). An
    end that has come closes the contract now and frees its offices; a future
    end keeps the contract running until then (``residency_close_due``).
    """
    today = today or timezone.localdate()
    residency = _lock_active(residency)
    if end <= residency.start:
        raise ValidationError(_("The end must come after the start."), code="end")
    if residency.firm_end and end < residency.firm_end:
        raise ValidationError(
            _(
                "The firm period runs until %(date)s. To end the contract earlier, "
                "terminate it with a reason."
            )
            % {"date": residency.firm_end.isoformat()},
            code="firm",
        )
    _close(residency, user, end, ResidencyStatus.ENDED, today)
    return residency


@transaction.atomic
def residency_terminate(
    *,
    residency: Residency,
    user: User | None,
    reason: str,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> Residency:
    """The contract is terminated early, for a reason kept with it, on ``end`` (default today).

    Like ``residency_end`` but allowed inside the firm period.
    """
    today = today or timezone.localdate()
    end = end or today
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("A termination needs its reason."), code="reason")
    residency = _lock_active(residency)
    if end <= residency.start:
        raise ValidationError(
            _("The contract starts on %(date)s: it can end the day after at the earliest.")
            % {"date": residency.start.isoformat()},
            code="end",
        )
    residency.termination_reason = reason
    _close(residency, user, end, ResidencyStatus.TERMINATED, today)
    return residency


@transaction.atomic
def residency_close_due(*, today: dt.date | None = None, user: User | None = None) -> int:
    """Close the running contracts whose end has come (run daily). Returns how many."""
    today = today or timezone.localdate()
    due = (
        Residency.objects.select_for_update()
        .select_related("company")
        .filter(status=ResidencyStatus.ACTIVE, end__lte=today)
    )
    count = 0
    for residency in due:
        terminated = bool(residency.termination_reason)
        status = ResidencyStatus.TERMINATED if terminated else ResidencyStatus.ENDED
        _close(residency, user, residency.end, status, today)
        count += 1
    return count


def residency_is_current(residency: Residency, *, on: dt.date) -> bool:
    """Whether the contract runs on ``on``: active, started, not yet ended."""
    return (
        residency.status == ResidencyStatus.ACTIVE
        and residency.start <= on
        and (residency.end is None or on < residency.end)
    )


# --- Attestations --------------------------------------------------------------------------


@transaction.atomic
def attestation_issue(
    *, residency: Residency, user: User, today: dt.date | None = None
) -> Attestation:
    """A residency attestation for a current contract, valid three months.

    Its code is random and unguessable: whoever holds it can check the
    attestation at /verify/<code>/.
    """
    today = today or timezone.localdate()
    residency = Residency.objects.select_for_update().select_related("company").get(pk=residency.pk)
    if not residency_is_current(residency, on=today):
        raise ValidationError(_("Only a running residency can be attested."), code="not_current")
    return Attestation.objects.create(
        company=residency.company,
        residency=residency,
        code=secrets.token_urlsafe(18),
        issued_by=user,
        valid_until=add_months(today, ATTESTATION_VALID_MONTHS),
    )


@transaction.atomic
def attestation_revoke(*, attestation: Attestation, user: User) -> Attestation:
    """Staff withdraw an attestation: /verify/ then says it was revoked."""
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    if attestation.revoked_at is not None:
        raise ValidationError(_("This attestation is already revoked."), code="revoked")
    attestation.revoked_at = timezone.now()
    attestation.save(update_fields=["revoked_at"])
    return attestation


# --- The attestation as a PDF ----------------------------------------------------------------

FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def _french_date(day: dt.date) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {FRENCH_MONTHS[day.month - 1]} {day.year}"


def attestation_verify_url(attestation: Attestation) -> str:
    """The public address where anyone checks the attestation."""
    return settings.SITE_URL + reverse("verify:attestation", args=[attestation.code])


def attestation_pdf(attestation: Attestation) -> bytes:
    """The attestation as an A4 PDF, drawn on the fly.

    In French whatever the reader's language: in Morocco an attestation is an
    administrative document in French, so its wording is fixed here, not
    translated. Shows the company's legal identity (legal name and form, ICE,
    RC with its court), the site and offices, the residency's start, the date of
    issue, and the code and address that let a third party check it.
    """
    company, residency = attestation.company, attestation.residency
    site = residency.site
    leases = list(residency.office_leases.all())
    issued = timezone.localtime(attestation.issued_at).date()
    url = attestation_verify_url(attestation)
    with translation.override("fr"):
        legal_form = company.get_legal_form_display()

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=11, leading=16)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=colors.grey)
    title = ParagraphStyle("title", parent=styles["Title"], fontSize=18, leading=24, spaceAfter=18)

    def line(text: str, style=body):
        return Paragraph(text, style)

    identity = [
        f"<b>{escape(company.legal_name)}</b>",
        f"Forme juridique : {escape(str(legal_form))}",
        f"ICE : {escape(company.ice or '')}",
    ]
    if company.rc_number:
        identity.append(
            f"RC n° {escape(company.rc_number)}, tribunal de commerce de {escape(company.rc_court)}"
        )
    if company.tax_id:
        identity.append(f"Identifiant fiscal (IF) : {escape(company.tax_id)}")
    offices = ", ".join(
        f"{escape(lease.office.name)} ({_m2(lease.office.area_m2)} m²)" for lease in leases
    )
    address = site.address.strip()
    place = f" ({escape(address)})" if address else ""
    story = [
        line("<b>TECHNOPARK</b>", styles["Heading2"]),
        line(f"{escape(site.name)} · MITC (Moroccan Information Technology Company)", small),
        Spacer(1, 1.2 * cm),
        Paragraph("ATTESTATION DE RÉSIDENCE", title),
        line(
            "Nous soussignés, MITC (Moroccan Information Technology Company), société "
            "gestionnaire du réseau Technopark, attestons que la société :"
        ),
        Spacer(1, 0.3 * cm),
        *[line(text) for text in identity],
        Spacer(1, 0.3 * cm),
        line(
            f"est hébergée au <b>{escape(site.name)}</b>{place} depuis le "
            f"<b>{_french_date(residency.start)}</b>, dans "
            + ("les bureaux suivants" if len(leases) > 1 else "le bureau")
            + f" : {offices}."
        ),
        Spacer(1, 0.3 * cm),
        line(
            "La présente attestation est délivrée à la demande de l'intéressée pour servir "
            "et valoir ce que de droit."
        ),
        Spacer(1, 0.6 * cm),
        line(f"Fait à {escape(site.city)}, le {_french_date(issued)}."),
        line(f"Valable jusqu'au {_french_date(attestation.valid_until)}."),
        Spacer(1, 0.4 * cm),
        line("Pour MITC, la direction du site", body),
        Spacer(1, 1.5 * cm),
        _qr(url),
        line(f"Code de vérification : <b>{attestation.code}</b>"),
        line(f"Vérifiez cette attestation sur {escape(url)}", small),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=f"Attestation de résidence {attestation.code}",
        author="MITC · Technopark",
    ).build(story)
    return buffer.getvalue()


def _m2(area) -> str:
    value = Decimal(area or 0)
    text = f"{value:.0f}" if value == value.to_integral() else f"{value:.2f}".replace(".", ",")
    return text


def _qr(url: str) -> Drawing:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    size = 3 * cm
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing
