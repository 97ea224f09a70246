"""Exports that spreadsheets open: no formula from what people typed (CSV/XLSX injection)."""

import io
import re
import zipfile

#: What makes a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A text cell a spreadsheet shows as text: a leading apostrophe before a formula sign.

    Numbers, dates and empty values are left as they are (a negative amount stays a number).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


#: The moment every export says it was made: the same content gives the same file.
FIXED_MOMENT = (2000, 1, 1, 0, 0, 0)


def workbook_bytes(workbook) -> bytes:
    """The .xlsx file of an openpyxl ``workbook``, the same bytes for the same content.

    openpyxl stamps the file with the time of saving twice (the document's
    "modified" property and each ZIP member's date), so two exports of the
    same rows a second apart differed; both stamps are set to ``FIXED_MOMENT``.
    """
    saved = io.BytesIO()
    workbook.save(saved)
    fixed = io.BytesIO()
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_MOMENT).encode()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return fixed.getvalue()
