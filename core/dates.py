"""Dates as people read them: one format per language on every page, in every PDF and e-mail.

Norwegian "5. desember 2026" and "5. desember 2026 kl. 14:30", English "5 December 2026" and
"5 December 2026, 14:30" (the formats are `config/formats/<language>/formats.py`, so Django's own
`|date:"DATE_FORMAT"` says the same). Datetimes are shown in local time. Templates use the filters
`day` and `moment` of the `samtale_dates` library.
"""

import datetime

from django.utils import formats, timezone


def day(value) -> str:
    """A date (or the local date of a datetime) in the active language's one format; "" for None.
    An ISO text (as JSON stores dates) is read first; any other text is returned as it is."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = _parsed(value)
        if isinstance(value, str):
            return value
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return formats.date_format(value, "DATE_FORMAT")


def moment(value) -> str:
    """A date and time, in local time, in the active language's one format; "" for None."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = _parsed(value)
    if not isinstance(value, datetime.datetime):
        return day(value)
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _parsed(text: str):
    """The date (YYYY-MM-DD) or datetime an ISO text stands for; other text as it is."""
    parse = datetime.date.fromisoformat if len(text) == 10 else datetime.datetime.fromisoformat
    try:
        return parse(text)
    except ValueError:
        return text
