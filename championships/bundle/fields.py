"""Parsers for one value of a bundle file that only a season has: a driver category, a race
time, a lap time. The generic ones (numbers, dates, countries, text) are ``core.imports.fields``,
named here too so that each bundle file reads every parser as ``fields.<name>``. Each returns
the value or raises ValueError saying what was expected; the caller adds the file, line and
column."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext

from championships.models import FiaCategory
from core import limits
from core.imports.fields import (
    COUNTRY_CODES,
    DECIMAL,
    country,
    date,
    local_start,
    plain_text,
    positive_decimal,
    text,
    time_zone,
    whole_number,
    yes_no,
)

__all__ = [
    "COUNTRY_CODES",
    "DECIMAL",
    "car_number",
    "category",
    "country",
    "date",
    "lap_time",
    "local_start",
    "plain_text",
    "positive_decimal",
    "race_time",
    "text",
    "time_zone",
    "whole_number",
    "yes_no",
]

# H:MM:SS.sss or MM:SS.sss; the fraction may have 1 to 3 digits.
_RACE_TIME = re.compile(r"(?:([0-9]+):([0-5][0-9])|([0-9]{1,2})):([0-5][0-9])(?:\.([0-9]{1,3}))?")
_LAP_TIME = re.compile(r"([0-9]{1,2}):([0-5][0-9])(?:\.([0-9]{1,3}))?")


def car_number(value: str) -> int:
    """A car number, wherever a file names a car: 1 to 999."""
    return whole_number(value, low=1, high=999)


def category(value: str) -> str:
    if value not in FiaCategory.values:
        categories = ", ".join(FiaCategory.values)
        raise ValueError(
            gettext("expected a driver category: %(categories)s") % {"categories": categories}
        )
    return value


def race_time(value: str) -> dt.timedelta:
    match = _RACE_TIME.fullmatch(value)
    if not match:
        raise ValueError(gettext("expected a race time H:MM:SS.sss or MM:SS.sss"))
    hours, minutes_of_hour, minutes, seconds, fraction = match.groups()
    if hours and len(hours.lstrip("0")) > len(str(limits.MAX_RACE_HOURS)):
        hours = limits.MAX_RACE_HOURS + 1
        raise ValueError(gettext("expected a race time under %(hours)s hours") % {"hours": hours})
    return dt.timedelta(
        hours=int(hours or 0),
        minutes=int(minutes_of_hour or minutes),
        seconds=int(seconds),
        milliseconds=_milliseconds(fraction),
    )


def lap_time(value: str) -> dt.timedelta:
    match = _LAP_TIME.fullmatch(value)
    lap = None
    if match:
        minutes, seconds, fraction = match.groups()
        lap = dt.timedelta(
            minutes=int(minutes), seconds=int(seconds), milliseconds=_milliseconds(fraction)
        )
    if not lap:
        raise ValueError(gettext("expected a lap time M:SS.sss above 0"))
    return lap


def _milliseconds(fraction: str | None) -> int:
    return int((fraction or "0").ljust(3, "0"))
