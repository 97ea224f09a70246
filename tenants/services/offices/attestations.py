"""Residency attestations: issue, revocation, and the PDF that a third party checks.

An attestation is valid while it is neither revoked nor past its
``valid_until`` and its residency is current (``tenants.selectors.offices.
attestation_state``); only a valid one is served as a PDF.
"""

import datetime as dt
import io
import secrets
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
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

from technopark.models import User
from tenants.models import Attestation, Residency
from tenants.rent import add_months
from tenants.selectors.offices import residency_is_current

#: How long an attestation can be shown to a third party (never past the residency's end).
ATTESTATION_VALID_MONTHS = 3


def attestation_valid_until(residency: Residency, *, today: dt.date) -> dt.date:
    """The last day an attestation issued ``today`` is valid: three months on, at most
    the residency's last day (the day before its end, when the end is known)."""
    valid_until = add_months(today, ATTESTATION_VALID_MONTHS)
    if residency.end is not None:
        valid_until = min(valid_until, residency.end - dt.timedelta(days=1))
    return valid_until


@transaction.atomic
def attestation_issue(
    *, residency: Residency, user: User, today: dt.date | None = None
) -> Attestation:
    """A residency attestation for a current contract, valid three months at most.

    Only a contract that runs today (started, not ended, whatever the nightly
    closing says) is attested, and never beyond its last day. Its code is
    random and unguessable: whoever holds it can check the attestation at
    /verify/<code>/.
    """
    today = today or timezone.localdate()
    residency = (
        Residency.objects.select_for_update(no_key=True, of=("self",))
        .select_related("company")
        .get(pk=residency.pk)
    )
    if not residency_is_current(residency, on=today):
        raise ValidationError(_("Only a running residency can be attested."), code="not_current")
    return Attestation.objects.create(
        company=residency.company,
        residency=residency,
        code=secrets.token_urlsafe(18),
        issued_by=user,
        valid_until=attestation_valid_until(residency, today=today),
    )


@transaction.atomic
def attestation_revoke(*, attestation: Attestation, user: User) -> Attestation:
    """Staff withdraw an attestation: /verify/ then says it was revoked."""
    attestation = Attestation.objects.select_for_update(no_key=True).get(pk=attestation.pk)
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
        f"{escape(lease.office.name)} ({_m2(lease.area_m2)} m²)" for lease in leases
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


def attestation_pdf_response(attestation: Attestation) -> HttpResponse:
    """The attestation's PDF as a download, under a name that says what it is.

    Callers serve it only for a valid attestation (``attestation_state``).
    """
    response = HttpResponse(attestation_pdf(attestation), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-residence-{attestation.code[:8]}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
