"""The time limit for answering a subject access request, as data citing its source."""

from __future__ import annotations

import calendar
import datetime as dt

#: UK GDPR Article 12(3): respond without undue delay and at the latest within one month of receipt (extendable
#: by two further months for complex or numerous requests). The ICO's guidance on the right of access counts the
#: month from the day of receipt to the corresponding calendar date in the next month; where that date does not
#: exist, the last day of the next month.
TIME_LIMIT_MONTHS = 1
TIME_LIMIT_SOURCE = "UK GDPR Article 12(3); ICO guidance on the right of access (time limits)"


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(received_on: dt.date) -> dt.date:
    return add_months(received_on, TIME_LIMIT_MONTHS)
