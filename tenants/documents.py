"""Documents the tenants app draws: the residency attestation as a PDF.

Layouts live here, not in the services: a service decides (issue, revoke),
this module draws, and a view turns the bytes into a download. reportlab is
imported when a document is drawn, not when the project starts.
"""

import datetime as dt
import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone, translation

from tenants.models import Attestation
from tenants.services.offices.attestations import attestation_verify_url

FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def _french_date(day: dt.date) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {FRENCH_MONTHS[day.month - 1]} {day.year}"


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

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

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


def _qr(url: str):
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import cm

    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    size = 3 * cm
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing


def attestation_filename(attestation: Attestation) -> str:
    return f"attestation-residence-{attestation.code[:8]}.pdf"
