"""Exports that spreadsheets open: no formula from what people typed (CSV/XLSX injection)."""

#: What makes a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A text cell a spreadsheet shows as text: a leading apostrophe before a formula sign.

    Numbers, dates and empty values are left as they are (a negative amount stays a number).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
