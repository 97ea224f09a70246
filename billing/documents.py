"""The invoice and the credit note as PDF, in French (and Arabic for buyers who read it).

The wording is fixed here, not translated through the catalogs: an invoice is
a legal document whose mentions (CGI art. 145) must not depend on a
translator's choice. Everything printed comes from the invoice's snapshots and
lines, never from the live company or site, and the PDF is drawn with
reportlab's ``invariant`` mode and a fixed date: the same bytes on every
download. Arabic is shaped and laid out right to left line by line, in DejaVu
Sans, by ``technopark.pdf`` (which also draws the letterhead the attestation
shares).
"""

import datetime as dt
import io
from decimal import Decimal

from billing.models import CreditNote, Invoice
from billing.rules import amount_in_words_fr
from technopark import pdf
from technopark.pdf import ARABIC_MONTHS, FRENCH_MONTHS

WORDING = {
    "fr": {
        "invoice": "FACTURE N° {number}",
        "credit_note": "AVOIR N° {number}",
        "refers_to": "Avoir sur la facture n° {number} du {date}. Motif : {reason}",
        "date": "Date de facture : {date}",
        "credit_date": "Date de l'avoir : {date}",
        "period": "Période facturée : {period}",
        "due": "Échéance : {date}",
        "seller": "Émetteur",
        "buyer": "Client",
        "if": "IF : {value}",
        "tp": "Taxe professionnelle : {value}",
        "ice": "ICE : {value}",
        "rc": "RC : {value}",
        "document": "Pièce d'identité : {value}",
        "columns": ("Désignation", "Qté", "P.U. HT", "TVA", "Montant HT"),
        "total_ht": "Total HT",
        "tva_at": "TVA {rate} %",
        "total_ttc": "Total TTC",
        "exempt": "Exonération : {value}",
        "terms": "Conditions de paiement : à {days} jours, au plus tard le {date}.",
        "methods": "Modes de paiement acceptés : virement, chèque, espèces, carte.",
        "bank": "Virement : {value}",
        "reference": "Merci de rappeler la référence {number} avec votre paiement.",
        "words": "Arrêtée la présente facture à la somme de {words} TTC.",
        "words_credit": "Arrêté le présent avoir à la somme de {words} TTC.",
        "currency": "MAD",
    },
    "ar": {
        "invoice": "فاتورة رقم {number}",
        "credit_note": "إشعار دائن رقم {number}",
        "refers_to": "إشعار دائن على الفاتورة رقم {number} بتاريخ {date}. السبب: {reason}",
        "date": "تاريخ الفاتورة: {date}",
        "credit_date": "تاريخ الإشعار الدائن: {date}",
        "period": "الفترة المفوترة: {period}",
        "due": "تاريخ الاستحقاق: {date}",
        "seller": "المُصدِر",
        "buyer": "الزبون",
        "if": "التعريف الضريبي: {value}",
        "tp": "الضريبة المهنية: {value}",
        "ice": "التعريف الموحد للمقاولة: {value}",
        "rc": "السجل التجاري: {value}",
        "document": "وثيقة الهوية: {value}",
        "columns": ("البيان", "الكمية", "الثمن دون رسوم", "الضريبة", "المبلغ دون رسوم"),
        "total_ht": "المجموع دون احتساب الرسوم",
        "tva_at": "الضريبة على القيمة المضافة {rate} %",
        "total_ttc": "المجموع مع احتساب الرسوم",
        "exempt": "إعفاء: {value}",
        "terms": "شروط الأداء: داخل أجل {days} يوما، في موعد أقصاه {date}.",
        "methods": "طرق الأداء المقبولة: تحويل بنكي، شيك، نقدا، بطاقة.",
        "bank": "التحويل البنكي: {value}",
        "reference": "يرجى ذكر المرجع {number} عند الأداء.",
        "words": "حُصرت هذه الفاتورة في مبلغ {words} مع احتساب الرسوم.",
        "words_credit": "حُصر هذا الإشعار في مبلغ {words} مع احتساب الرسوم.",
        "currency": "درهم",
    },
}

#: The frame's width: A4 less the margins (1.8 cm each side), in points.
WIDTH = (21 - 2 * 1.8) * 72 / 2.54
#: Every PDF carries this creation date: the document does not depend on when it is drawn.
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def money(value: Decimal, language: str = "fr") -> str:
    """``1250.5`` -> "1 250,50", grouped by a narrow no-break space.

    That space is a number separator for the bidi algorithm, so an Arabic
    line keeps "1 250,00" whole instead of swapping its groups.
    """
    text = f"{Decimal(value):,.2f}"
    return text.replace(",", "\u202f").replace(".", ",")


def rate_text(value: Decimal) -> str:
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral() else f"{value:.2f}".replace(".", ",")


def long_date(day: dt.date | None, language: str) -> str:
    if day is None:
        return ""
    months = ARABIC_MONTHS if language == "ar" else FRENCH_MONTHS
    return f"{day.day} {months[day.month - 1]} {day.year}"


def month_text(day: dt.date, language: str) -> str:
    months = ARABIC_MONTHS if language == "ar" else FRENCH_MONTHS
    return f"{months[day.month - 1]} {day.year}"


def amount_in_words(amount: Decimal, language: str) -> str:
    if language != "ar":
        return amount_in_words_fr(amount)
    dirhams = int(amount)
    centimes = int((Decimal(amount) - dirhams) * 100)
    from num2words import num2words

    words = f"{num2words(dirhams, lang='ar')} درهم"
    if centimes:
        words += f" و{num2words(centimes, lang='ar')} سنتيم"
    return words


class _Page:
    """The styles and paragraph maker of one document in one language."""

    def __init__(self, language: str):
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        regular, bold = pdf.fonts()
        self.language = language
        self.words = WORDING[language]
        align = TA_RIGHT if language == "ar" else TA_LEFT
        self.regular, self.bold = regular, bold
        self.body = ParagraphStyle(
            "body", fontName=regular, fontSize=9.5, leading=13, alignment=align
        )
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=8, leading=10.5, textColor=colors.grey
        )
        self.strong = ParagraphStyle("strong", parent=self.body, fontName=bold)
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=bold, fontSize=15, leading=20, spaceAfter=6
        )
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=11)
        self.number = ParagraphStyle("number", parent=self.cell, alignment=TA_RIGHT)

    def p(self, text: str, style=None, **values):
        """A paragraph of a wording key (formatted with ``values``) or of plain text."""
        text = self.words.get(text, text).format(**values) if values or text in self.words else text
        return pdf.paragraph(text, style or self.body, self.language)

    def row(self, cells: list):
        """A table row, mirrored for a right-to-left document."""
        return list(reversed(cells)) if self.language == "ar" else cells


def _party(page: _Page, heading: str, party: dict) -> list:
    lines = [page.p(heading, page.small), page.p(party.get("name", ""), page.strong)]
    for line in filter(None, party.get("address", "").splitlines()):
        lines.append(page.p(line))
    for key in ("if", "tp", "ice", "rc"):
        if party.get(key):
            lines.append(page.p(key, value=party[key]))
    if party.get("document"):
        lines.append(page.p("document", value=party["document"]))
    return lines


def _build(title: str, story: list, author: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=title,
        author=author,
        creator="Technopark",
        invariant=1,
        creationDate=FIXED_DATE,
        lang="ar" if "ar" in title else "fr",
    ).build(story)
    return buffer.getvalue()


def _letterhead(page: _Page, seller: dict) -> list:
    """The network's letterhead (``technopark.pdf``, shared with the attestation)."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer

    return [
        pdf.letterhead(site=seller.get("site", ""), language=page.language, width=WIDTH),
        Spacer(1, 0.5 * cm),
    ]


def _parties_table(page: _Page, seller: dict, buyer: dict):
    from reportlab.lib.units import cm
    from reportlab.platypus import Table, TableStyle

    table = Table(
        [page.row([_party(page, "seller", seller), _party(page, "buyer", buyer)])],
        colWidths=[8.7 * cm, 8.7 * cm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _lines_table(page: _Page, rows: list[list], widths: list[float]):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    header = [page.p(text, page.strong) for text in page.words["columns"][: len(rows[0])]]
    body = [header, *rows]
    table = Table([page.row(r) for r in body], colWidths=page.row(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _totals_table(page: _Page, rows: list[tuple[str, str]]):
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Table, TableStyle

    data = [
        page.row([page.p(label, page.strong), page.p(value, page.number)]) for label, value in rows
    ]
    table = Table(
        data,
        colWidths=page.row([7.4 * cm, 3.4 * cm]),
        hAlign="LEFT" if page.language == "ar" else "RIGHT",
    )
    table.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)]))
    return table


def invoice_pdf(invoice: Invoice) -> bytes:
    """An issued invoice (``selectors.invoice_document``) as an A4 PDF, in its language.

    Every mention of CGI art. 145: the seller's name, address, IF, TP, ICE
    and RC; the number of the continuous series; the date; the buyer's name,
    address and ICE (or identity document); each line's nature, quantity, unit
    price excl. TVA and rate; the totals excl. TVA, the TVA per rate (or the
    exemption) and incl. TVA; the payment terms and methods; the amount in words.
    """
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer

    language = invoice.language if invoice.language == "ar" else "fr"
    page = _Page(language)
    seller, buyer = invoice.seller, invoice.buyer
    lines = list(invoice.lines.all())
    currency = page.words["currency"]
    rows = [
        [
            page.p(line.description, page.cell),
            page.p(money(line.quantity).removesuffix(",00"), page.number),
            page.p(money(line.unit_price), page.number),
            page.p(f"{rate_text(line.tva_rate)} %", page.number),
            page.p(money(line.amount_ht), page.number),
        ]
        for line in lines
    ]
    by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        by_rate[line.tva_rate] = by_rate.get(line.tva_rate, Decimal(0)) + line.amount_tva
    total_ht = sum((line.amount_ht for line in lines), Decimal(0))
    total_ttc = total_ht + sum(by_rate.values(), Decimal(0))
    totals = [(page.words["total_ht"], f"{money(total_ht)} {currency}")]
    totals += [
        (page.words["tva_at"].format(rate=rate_text(rate)), f"{money(amount)} {currency}")
        for rate, amount in sorted(by_rate.items())
    ]
    totals.append((page.words["total_ttc"], f"{money(total_ttc)} {currency}"))
    exemptions = sorted({line.exemption_note for line in lines if line.exemption_note})
    terms_days = seller.get("terms_days", 30)
    story = [
        *_letterhead(page, seller),
        _parties_table(page, seller, buyer),
        Spacer(1, 0.6 * cm),
        page.p("invoice", page.title, number=invoice.number),
        page.p("date", date=long_date(invoice.issued_on, language)),
        page.p("period", period=month_text(invoice.month, language)),
        page.p("due", date=long_date(invoice.due_on, language)),
        Spacer(1, 0.4 * cm),
        _lines_table(page, rows, [7.8 * cm, 1.6 * cm, 2.4 * cm, 2.2 * cm, 3.4 * cm]),
        Spacer(1, 0.3 * cm),
        _totals_table(page, totals),
        Spacer(1, 0.3 * cm),
        *[page.p("exempt", value=note) for note in exemptions],
        page.p("words", words=amount_in_words(total_ttc, language)),
        Spacer(1, 0.3 * cm),
        page.p("terms", days=terms_days, date=long_date(invoice.due_on, language)),
        page.p("methods"),
    ]
    if seller.get("bank"):
        story.append(page.p("bank", value=seller["bank"]))
    story.append(page.p("reference", page.small, number=invoice.number))
    if language == "ar":  # the French closing line is the customary one: kept on every invoice
        story.append(page.p(WORDING["fr"]["words"].format(words=amount_in_words_fr(total_ttc)),
                            page.small))  # fmt: skip
    return _build(f"Facture {invoice.number} {language}", story, seller.get("name", ""))


def credit_note_pdf(note: CreditNote) -> bytes:
    """A credit note: its own number, the invoice it corrects, what it takes back."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer

    invoice = note.invoice
    language = invoice.language if invoice.language == "ar" else "fr"
    page = _Page(language)
    currency = page.words["currency"]
    lines = list(note.lines.all())
    rows = [
        [
            page.p(line.description, page.cell),
            page.p("1", page.number),
            page.p(money(line.amount_ht), page.number),
            page.p(f"{rate_text(line.tva_rate)} %", page.number),
            page.p(money(line.amount_ht), page.number),
        ]
        for line in lines
    ]
    total_ht = sum((line.amount_ht for line in lines), Decimal(0))
    total_tva = sum((line.amount_tva for line in lines), Decimal(0))
    by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        by_rate[line.tva_rate] = by_rate.get(line.tva_rate, Decimal(0)) + line.amount_tva
    totals = [(page.words["total_ht"], f"{money(total_ht)} {currency}")]
    totals += [
        (page.words["tva_at"].format(rate=rate_text(rate)), f"{money(amount)} {currency}")
        for rate, amount in sorted(by_rate.items())
    ]
    totals.append((page.words["total_ttc"], f"{money(total_ht + total_tva)} {currency}"))
    story = [
        *_letterhead(page, invoice.seller),
        _parties_table(page, invoice.seller, invoice.buyer),
        Spacer(1, 0.6 * cm),
        page.p("credit_note", page.title, number=note.number),
        page.p("credit_date", date=long_date(note.issued_on, language)),
        page.p(
            "refers_to",
            number=invoice.number,
            date=long_date(invoice.issued_on, language),
            reason=note.reason,
        ),  # fmt: skip
        Spacer(1, 0.4 * cm),
        _lines_table(page, rows, [7.8 * cm, 1.6 * cm, 2.4 * cm, 2.2 * cm, 3.4 * cm]),
        Spacer(1, 0.3 * cm),
        _totals_table(page, totals),
        Spacer(1, 0.3 * cm),
        page.p("words_credit", words=amount_in_words(total_ht + total_tva, language)),
    ]
    return _build(f"Avoir {note.number} {language}", story, invoice.seller.get("name", ""))


def invoice_filename(invoice: Invoice) -> str:
    return f"facture-{invoice.number}.pdf"


def credit_note_filename(note: CreditNote) -> str:
    return f"avoir-{note.number}.pdf"
