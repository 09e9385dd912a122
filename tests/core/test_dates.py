"""One date format per language everywhere: the helper, the template filters and Django's own formats."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from core import dates

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
UTC = datetime.UTC
DAY = datetime.date(2026, 12, 5)
MOMENT = datetime.datetime(2026, 12, 5, 13, 30, tzinfo=UTC)  # 14:30 in Oslo


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("nb", "5. desember 2026", "5. desember 2026 kl. 14:30"),
        ("en", "5 December 2026", "5 December 2026, 14:30"),
    ],
)
def test_one_format_per_language(language, day, moment):
    with translation.override(language):
        assert dates.day(DAY) == day
        assert dates.moment(MOMENT) == moment
        assert dates.day(MOMENT) == day  # a datetime's local date
        rendered = Template("{% load samtale_dates %}{{ d|day }}|{{ m|moment }}").render(
            Context({"d": DAY, "m": MOMENT})
        )
        assert rendered == f"{day}|{moment}"
        # Django's own formats say the same, so templates not yet on the filters agree.
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
            assert formats.date_format(DAY, name) == day
        for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
            assert formats.date_format(MOMENT.astimezone(OSLO), name) == moment


def test_a_date_near_midnight_is_the_local_day():
    late = datetime.datetime(2026, 12, 5, 23, 30, tzinfo=UTC)  # 00:30 on the 6th in Oslo
    with translation.override("nb"):
        assert dates.day(late) == "6. desember 2026"


def test_nothing_is_shown_for_nothing():
    assert dates.day(None) == "" and dates.moment(None) == ""


def test_date_inputs_still_take_iso_dates():
    with translation.override("nb"):
        assert "%Y-%m-%d" in formats.get_format("DATE_INPUT_FORMATS")


def test_iso_text_is_read_and_other_text_kept():
    with translation.override("nb"):
        assert dates.day("2027-03-05") == "5. mars 2027"
        assert dates.moment("2026-12-05T13:30:00+00:00") == "5. desember 2026 kl. 14:30"
        assert dates.day("not a date") == "not a date"
