"""`{% load samtale_dates %}`: `{{ value|day }}` and `{{ value|moment }}`, the one format (core.dates)."""

from django import template

from core import dates

register = template.Library()
register.filter("day", dates.day)
register.filter("moment", dates.moment)
