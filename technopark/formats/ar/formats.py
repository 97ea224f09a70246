"""Arabic as written in Morocco: day, month, year with no comma ("1 ديسمبر 2026"),
times on the 24-hour clock the network's timetables use ("09:12").

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
