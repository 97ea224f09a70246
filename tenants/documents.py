"""Documents the tenants app draws: the residency attestation as a PDF, in French or Arabic.

Layouts live here, not in the services: a service decides (issue, revoke),
this module draws, and a view turns the bytes into a download. The
letterhead, the fonts, Arabic text and the QR code are ``technopark.pdf``'s,
shared with the invoices. reportlab is imported when a document is drawn, not
when the project starts.
"""

import io

from django.utils import timezone, translation

from technopark import pdf
from technopark.numbers import m2
from tenants.models import Attestation
from tenants.services.offices.attestations import attestation_verify_url

#: The languages an attestation is drawn in: French (the administration's) and Arabic.
LANGUAGES = ("fr", "ar")

#: The wording is fixed here, not translated through the catalogs: an attestation is
#: an administrative document whose sentences must not depend on a translator's choice.
WORDING = {
    "fr": {
        "title": "ATTESTATION DE RÉSIDENCE",
        "intro": "Nous soussignés, MITC (Moroccan Information Technology Company), société "
        "gestionnaire du réseau Technopark, attestons que la société :",
        "form": "Forme juridique : {value}",
        "ice": "ICE : {value}",
        "rc": "RC n° {number}, tribunal de commerce {court}",
        "if": "Identifiant fiscal (IF) : {value}",
        "office": "{name} ({area})",
        "hosted_one": "est hébergée au {site}{place} depuis le {date}, dans le bureau : {offices}.",
        "hosted_many": "est hébergée au {site}{place} depuis le {date}, dans les bureaux "
        "suivants : {offices}.",
        "purpose": "La présente attestation est délivrée à la demande de l'intéressée pour "
        "servir et valoir ce que de droit.",
        "done": "Fait à {city}, le {date}.",
        "valid": "Valable jusqu'au {date}.",
        "signer": "Pour MITC, la direction du site",
        "stamp": "Signature et cachet",
        "code": "Code de vérification : {code}",
        "verify": "Vérifiez cette attestation sur :",
        "scan": "Scannez pour vérifier",
    },
    "ar": {
        "title": "شهادة الإقامة",
        "intro": "نشهد نحن الموقعين أسفله، الشركة المغربية لتكنولوجيا المعلومات (MITC)، "
        "الشركة المسيرة لشبكة تكنوبارك، بأن الشركة:",
        "form": "الشكل القانوني: {value}",
        "ice": "التعريف الموحد للمقاولة: {value}",
        "rc": "السجل التجاري رقم {number} لدى المحكمة التجارية بمدينة {court}",
        "if": "التعريف الضريبي: {value}",
        "office": "{name} ({area})",
        "hosted_one": "مستضافة في {site}{place} منذ {date}، في المكتب: {offices}.",
        "hosted_many": "مستضافة في {site}{place} منذ {date}، في المكاتب التالية: {offices}.",
        "purpose": "سُلّمت هذه الشهادة بطلب من المعنية بالأمر للإدلاء بها عند الحاجة.",
        "done": "حُرّر في {city} بتاريخ {date}.",
        "valid": "صالحة إلى غاية {date}.",
        "signer": "عن الشركة المغربية لتكنولوجيا المعلومات، إدارة الموقع",
        "stamp": "التوقيع والختم",
        "code": "رمز التحقق: {code}",
        "verify": "تحقق من هذه الشهادة على العنوان:",
        "scan": "امسح الرمز للتحقق",
    },
}

#: A4 less the margins (2.2 cm each side), in points.
WIDTH = (21 - 2 * 2.2) * 72 / 2.54


def attestation_language(requested: str | None, reader: str | None) -> str:
    """The language asked for (``?lang=``), else the reader's if Arabic, else French."""
    if requested in LANGUAGES:
        return requested  # type: ignore[return-value]
    return "ar" if reader == "ar" else "fr"


def _name(text: str, language: str) -> str:
    """A name in Latin letters inside an Arabic sentence, closed by a right-to-left mark so
    that what follows (a date, a parenthesis) keeps the sentence's order."""
    return f"{text}\u200f" if language == "ar" else text


def attestation_pdf(attestation: Attestation, language: str = "fr") -> bytes:
    """The attestation as an A4 PDF, drawn on the fly, in French or Arabic.

    The network's letterhead; the company's legal identity (legal name and
    form, ICE, RC with its court, IF); the site and offices; the residency's
    start; the place and date of issue and the validity; the signature and
    stamp zone; the QR code, the code and the address that let a third party
    check it at /verify/<code>/. Arabic is shaped and right to left.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    language = language if language in LANGUAGES else "fr"
    words = WORDING[language]
    arabic = language == "ar"
    company, residency = attestation.company, attestation.residency
    site = residency.site
    leases = list(residency.office_leases.all())
    issued = timezone.localtime(attestation.issued_at).date()
    url = attestation_verify_url(attestation)
    with translation.override(language):
        legal_form = str(company.get_legal_form_display())

    regular, bold = pdf.fonts()
    align = TA_RIGHT if arabic else TA_LEFT
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=17, alignment=align)
    strong = ParagraphStyle("strong", parent=body, fontName=bold)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=12, textColor=colors.grey)
    title = ParagraphStyle(
        "title", parent=body, fontName=bold, fontSize=18, leading=26, alignment=TA_CENTER
    )
    centered = ParagraphStyle("centered", parent=small, alignment=TA_CENTER)

    def line(key: str, style=body, **values):
        return pdf.paragraph(words[key].format(**values), style, language)

    identity = [
        pdf.paragraph(company.legal_name, strong, language),
        line("form", value=legal_form),
        line("ice", value=company.ice or ""),
    ]
    if company.rc_number:
        court = company.rc_court.strip()
        identity.append(
            line("rc", number=company.rc_number,
                 court=_name(court, language) if arabic else pdf.french_de(court))
        )  # fmt: skip
    if company.tax_id:
        identity.append(line("if", value=company.tax_id))
    offices = "، ".join if arabic else ", ".join
    with translation.override(language):
        offices_text = offices(
            words["office"].format(
                name=_name(lease.office.name, language), area=m2(lease.area_m2 or 0)
            )
            for lease in leases
        )
    address = " ".join(site.address.split())
    place = f" ({_name(address, language)})" if address else ""
    hosted = "hosted_many" if len(leases) > 1 else "hosted_one"
    story = [
        pdf.letterhead(site=site.name, language=language, width=WIDTH, address=address),
        Spacer(1, 1.0 * cm),
        pdf.paragraph(words["title"], title, language),
        Spacer(1, 0.6 * cm),
        line("intro"),
        Spacer(1, 0.3 * cm),
        *identity,
        Spacer(1, 0.3 * cm),
        line(hosted, site=_name(site.name, language), place=place,
             date=pdf.long_date(residency.start, language), offices=offices_text),
        Spacer(1, 0.3 * cm),
        line("purpose"),
        Spacer(1, 0.5 * cm),
        line("done", city=_name(site.city, language), date=pdf.long_date(issued, language)),
        line("valid", date=pdf.long_date(attestation.valid_until, language)),
        Spacer(1, 0.8 * cm),
        _signature_and_check(language, words, url, attestation.code, body, strong, small,
                             centered),
    ]  # fmt: skip
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=1.6 * cm,
        bottomMargin=2 * cm,
        title=f"Attestation de résidence {attestation.code} {language}",
        author="MITC · Technopark",
        creator="Technopark",
        lang=language,
    ).build(story)
    return buffer.getvalue()


def _signature_and_check(language, words, url, code, body, strong, small, centered):
    """Two columns: the QR code with the code to type at /verify/, and the signatory with
    the box where the site's direction signs and stamps (mirrored in Arabic)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer, Table, TableStyle

    def p(key, style, **values):
        return pdf.paragraph(words[key].format(**values), style, language)

    check = [
        pdf.qr_code(url, 3.2 * cm),
        p("scan", small),
        Spacer(1, 0.2 * cm),
        p("code", small, code=code),
        p("verify", small),
        # The address on a line of its own, left to right in both languages.
        pdf.paragraph(url, ParagraphStyle("url", parent=small, fontSize=7, leading=9), "fr"),
    ]
    stamp_box = Table(
        [[p("stamp", centered)]], colWidths=[7 * cm], rowHeights=[3.6 * cm]
    )  # fmt: skip
    stamp_box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor(pdf.BRAND)),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    sign = [p("signer", strong), Spacer(1, 0.2 * cm), stamp_box]
    cells = [check, sign]
    table = Table(
        [list(reversed(cells)) if language == "ar" else cells],
        colWidths=[8.6 * cm, 8 * cm] if language != "ar" else [8 * cm, 8.6 * cm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT" if language == "ar" else "LEFT"),
            ]
        )
    )
    return table


def attestation_filename(attestation: Attestation, language: str = "fr") -> str:
    return f"attestation-residence-{attestation.code[:8]}-{language}.pdf"
