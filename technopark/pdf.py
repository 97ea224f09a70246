"""What every PDF of the project shares: the fonts, Arabic text, the letterhead, the QR code.

The floor's piece of the documents that apps draw (the invoice and the credit
note in ``billing.documents``, the residency attestation in
``tenants.documents``): one letterhead, one way to put Arabic on a page. It
imports no app; reportlab, arabic-reshaper and python-bidi are imported when
a document is drawn, not when the project starts.

Arabic in reportlab: the letters are joined (arabic-reshaper) and each line
is put in visual right-to-left order (python-bidi's reference algorithm, which
mirrors brackets; its faster default does not). reportlab wraps a
paragraph after that reordering, which would read a long paragraph's lines
bottom to top, so ``paragraph`` breaks Arabic text into lines itself, on the
logical text at the width it is given, and reorders each line on its own.
"""

import datetime as dt
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from technopark.uploads import FONTS_DIR

#: The project's copy first (technopark/fonts), then the system's.
FONT_DIRS = (FONTS_DIR, Path("/usr/share/fonts/truetype/dejavu"))

FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
#: The month names used in Morocco.
ARABIC_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو",
    "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر",
)  # fmt: skip

#: Colours of the letterhead.
BRAND = "#0b4f8a"
ACCENT = "#f0a202"

_VOWELS = frozenset("aeiouyàâäéèêëîïôöûùüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÛÙÜŒÆ")


def french_de(name: str) -> str:
    """The preposition "de" before ``name``, elided before a vowel: "d'Essaouira",
    "de Rabat", "d'Agadir" (an initial h is left alone: many Moroccan names aspirate it)."""
    name = name.strip()
    return f"d'{name}" if name[:1] in _VOWELS else f"de {name}"


def long_date(day: dt.date, language: str) -> str:
    """ "1er décembre 2026" in French, "1 دجنبر 2026" in Arabic."""
    if language == "ar":
        return f"{day.day} {ARABIC_MONTHS[day.month - 1]} {day.year}"
    first = "er" if day.day == 1 else ""
    return f"{day.day}{first} {FRENCH_MONTHS[day.month - 1]} {day.year}"


@cache
def fonts() -> tuple[str, str]:
    """DejaVu Sans (regular, bold) registered with reportlab; Helvetica when it is missing.

    DejaVu Sans has the Arabic letters' joined forms, which reportlab's own fonts lack.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


#: Marks that steer the bidi algorithm; once a line is in visual order they are only
#: boxes in the font, so they are dropped (Django's Arabic dates carry them).
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"))


def visual(text: str, language: str) -> str:
    """One line of Arabic joined and laid out right to left; other text as it is."""
    if language != "ar":
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display  # the reference algorithm: it mirrors brackets

    return get_display(arabic_reshaper.reshape(text), base_dir="R").translate(_MARKS)


def rtl_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` (logical order) broken into lines that fit ``width``, each in visual order."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for chunk in text.split("\n"):
        current: list[str] = []
        # Split at plain spaces only: a narrow no-break space groups a number's digits.
        for word in filter(None, chunk.split(" ")):
            candidate = " ".join([*current, word])
            if current and stringWidth(visual(candidate, "ar"), font, size) > width:
                lines.append(visual(" ".join(current), "ar"))
                current = [word]
            else:
                current.append(word)
        lines.append(visual(" ".join(current), "ar"))
    return lines


def paragraph(text: str, style, language: str):
    """A reportlab paragraph of plain ``text`` (no markup): as it is in French, broken
    into right-to-left lines at the width it is drawn in for Arabic."""
    from reportlab.platypus import Paragraph

    if language != "ar":
        return Paragraph(escape(text).replace("\n", "<br/>"), style)
    return _rtl_paragraph()(text, style)


@cache
def _rtl_paragraph():
    from reportlab.platypus import Paragraph

    class RtlParagraph(Paragraph):
        """An Arabic paragraph that breaks its lines on the logical text, then reorders each."""

        def __init__(self, text, style):
            self.logical, self.broken_at = text, None
            super().__init__(escape(visual(text, "ar")), style)

        def wrap(self, avail_width, avail_height):
            if avail_width != self.broken_at:
                lines = rtl_lines(
                    self.logical, self.style.fontName, self.style.fontSize, avail_width * 0.98
                )
                Paragraph.__init__(self, "<br/>".join(map(escape, lines)), self.style)
                self.broken_at = avail_width
            return super().wrap(avail_width, avail_height)

    return RtlParagraph


def letterhead(*, site: str, language: str, width: float, address: str = ""):
    """The network's letterhead: TECHNOPARK, the site and the managing company, the site's
    address when given, over a rule.

    A flowable as wide as the frame (``width``); mirrored in Arabic (the
    accent bar and the text on the right).
    """
    from reportlab.lib import colors
    from reportlab.platypus.flowables import Flowable

    regular, bold = fonts()
    arabic = language == "ar"
    name = "تكنوبارك · TECHNOPARK" if arabic else "TECHNOPARK"
    subtitle = (
        f"{site} · MITC (Moroccan Information Technology Company)"
        if not arabic
        else f"{site} · الشركة المغربية لتكنولوجيا المعلومات (MITC)"
    )
    address = " ".join(address.split())

    band = 2.1 * 28.3465  # 2.1 cm

    class Letterhead(Flowable):
        def wrap(self, avail_width, avail_height):
            self.width, self.height = width, band  # type: ignore[assignment]
            return width, band

        def draw(self):
            canvas = self.canv
            bar_x = width - 6 if arabic else 0
            text_x = width - 14 if arabic else 14
            draw = canvas.drawRightString if arabic else canvas.drawString
            canvas.setFillColor(colors.HexColor(ACCENT))
            canvas.rect(bar_x, 14, 6, self.height - 14, stroke=0, fill=1)
            canvas.setFillColor(colors.HexColor(BRAND))
            canvas.setFont(bold, 18)
            draw(text_x, self.height - 20, visual(name, language))
            canvas.setFillColor(colors.HexColor("#333333"))
            canvas.setFont(regular, 9)
            draw(text_x, self.height - 34, visual(subtitle, language))
            if address:
                canvas.setFillColor(colors.grey)
                canvas.setFont(regular, 7.5)
                draw(text_x, self.height - 45, visual(address, language))
            canvas.setStrokeColor(colors.HexColor(BRAND))
            canvas.setLineWidth(1.2)
            canvas.line(0, 6, width, 6)

    return Letterhead()


def qr_code(url: str, size: float):
    """A QR code of ``url``, ``size`` points square."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing
