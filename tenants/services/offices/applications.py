"""Applications for an office and the allocation committee's decisions.

The committee's decisions at one site are serialized by a lock on the site's
row (``FOR NO KEY UPDATE``: it does not block rows that merely point to the
site), because each site has one waiting list numbered 1..n. PostgreSQL keeps
the numbering honest too: two waiting applications of a site never share a
position (a constraint checked at the end of the change, see ``_check_waiting_list``).
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from sites.models import Site, Space
from technopark import access, mail
from technopark.models import User
from tenants.models import (
    ApplicationDocument,
    ApplicationStatus,
    Company,
    CompanyStatus,
    OfficeApplication,
    Residency,
)
from tenants.models.offices import OPEN_APPLICATION
from tenants.rent import tier_for_company
from tenants.services.offices.common import company_people_with, save
from tenants.services.offices.residencies import residency_create

#: The deferred constraint that keeps each site's waiting positions unique.
WAITING_POSITIONS = "application_one_position_per_site"


def _lock_site(site_id: int) -> None:
    """Serialize the committee's decisions at one site (the waiting list is per site)."""
    list(Site.objects.select_for_update(no_key=True).filter(pk=site_id).values_list("pk"))


def _lock_open(application: OfficeApplication) -> OfficeApplication:
    _lock_site(application.site_id)
    locked = (
        OfficeApplication.objects.select_for_update(no_key=True, of=("self",))
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
        # exclude(pk=None) excludes nothing, as meant.
        OfficeApplication.objects.filter(site_id=site_id, status=ApplicationStatus.WAITING_LIST)  # type: ignore[misc]
        .exclude(pk=without)
        .order_by("waiting_position", "created_at")
    )


def _renumber(waiting: list[OfficeApplication], user, *, saved_apart: int | None = None) -> None:
    """Give ``waiting`` (in order) the positions 1..n, saving the rows that moved.

    The row ``saved_apart`` gets its position but its caller saves it. Rows
    pass through each other's positions on the way: the constraint is deferred.
    """
    moved = []
    for position, application in enumerate(waiting, start=1):
        if application.waiting_position != position:
            application.waiting_position = position
            if application.pk != saved_apart:
                moved.append(application)
    if moved:
        bulk_update_with_history(moved, OfficeApplication, ["waiting_position"], default_user=user)


def _check_waiting_list() -> None:
    """Check the site's positions now rather than at commit, so a clash is a clear refusal."""
    quoted = connection.ops.quote_name(WAITING_POSITIONS)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {quoted} IMMEDIATE")
    except IntegrityError as error:
        raise ValidationError(
            _("The waiting list of this site changed meanwhile: please try again."),
            code="waiting_list",
        ) from error
    finally:
        # Back to deferred for whatever else this transaction renumbers.
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {quoted} DEFERRED")


def _close_up(site_id: int, user) -> None:
    """The waiting list closes up behind an application that left it."""
    _renumber(_waiting_list(site_id), user)
    _check_waiting_list()


def _decide(application: OfficeApplication, user, status: str, reason: str = "") -> None:
    application.decide(status=status, actor=user)
    application.waiting_position = None
    application.decision_reason = reason


def _notify_decision(application: OfficeApplication, template: str, **context) -> None:
    mail.send_to(
        company_people_with("tenants.change_officeapplication", application.company),
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
    was rejected becomes an applicant again. The staff who decide at the site
    are told, and the applicant gets an acknowledgement in their language.
    """
    if not site.is_operating:
        raise ValidationError(_("This site does not take applications yet."), code="site")
    files = []
    for upload in documents:
        # Uploaded files always have a name and a size.
        document = ApplicationDocument(  # type: ignore[misc]
            file=upload,
            original_name=upload.name[:200],  # type: ignore[index]
            size=upload.size,
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
            save(application, user)
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
        save(company, user, update_fields=["status"])
    mail.notify(
        access.staff_with("tenants.change_officeapplication", site),
        "office_application_submitted",
        {
            "application": application,
            "company": company,
            "site": site,
            "path": reverse("admin:tenants_officeapplication_change", args=[application.pk]),
        },
    )
    mail.send_to(
        [user],
        "office_application_received",
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
        # Uploaded files always have a name and a size.
        document = ApplicationDocument(  # type: ignore[misc]
            application=application,
            file=upload,
            original_name=upload.name[:200],  # type: ignore[index]
            size=upload.size,
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
    save(application, user)
    if was_waiting:
        _close_up(application.site_id, user)
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
    list), the others shifting down. Positions stay 1..n per site. Putting it
    on the list is the committee's decision: recorded (who, when, the note) and
    told to the company's admins. Moving it later changes its position only:
    the decision stays as it was and nobody is written to again (a new
    ``reason``, if given, replaces the note the company reads).
    """
    application = _lock_open(application)
    entering = application.status != ApplicationStatus.WAITING_LIST
    waiting = _waiting_list(application.site_id, without=application.pk)
    index = len(waiting) if position is None else min(max(position, 1) - 1, len(waiting))
    if entering:
        _decide(application, user, ApplicationStatus.WAITING_LIST, reason.strip())
    elif reason.strip():
        application.decision_reason = reason.strip()
    waiting.insert(index, application)
    _renumber(waiting, user, saved_apart=application.pk)
    save(application, user)
    _check_waiting_list()
    if entering:
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
    save(application, user)
    if was_waiting:
        _close_up(application.site_id, user)
    company = application.company
    still_open = company.applications.filter(status__in=OPEN_APPLICATION).exists()
    if company.status == CompanyStatus.APPLICANT and not still_open:
        company.status = CompanyStatus.REJECTED
        save(company, user, update_fields=["status"])
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
    save(application, user)
    if was_waiting:
        _close_up(application.site_id, user)
    _notify_decision(application, "office_application_accepted", residency=residency)
    return residency
