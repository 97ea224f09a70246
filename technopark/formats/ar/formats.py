"""Arabic as written in Morocco: day, month, year with no comma ("1 ديسمبر 2026"),
times on the 24-hour clock the network's timetables use ("09:12").
Amounts grouped by thousands with a no-break space, decimals after a comma.

Django's Arabic file writes "1 ديسمبر، 2026" and leaves the date-time formats to the
English defaults ("ديسمبر 1, 2026, 9:12 ص").
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday

# Amounts and surfaces grouped by thousands as in the French pages ("1 250,00"): Django's
# Arabic file sets no grouping, so "1250000,00 درهم" was hard to read on invoices.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
