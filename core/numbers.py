"""How the site writes a number: points, seconds and factors without needless decimals, and
times as timing sheets write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def plain(value: Decimal | float | int) -> str:
    """12.5 for 12.50, 30 for 30.000, never the exponent form ``3E+1`` of ``normalize()``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def timing(value: dt.timedelta | None) -> str:
    """A race or lap time as timing sheets write it: 1:02:03.456, 29:58.123 or 1:58.056 (never
    Django's 00:29:58.123000); '' for none. Every page, export and back-office form uses it."""
    if value is None:
        return ""
    millis = round(value / dt.timedelta(milliseconds=1))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    seconds, millis = divmod(millis, 1000)
    if hours:
        return f"{hours}:{minutes:02}:{seconds:02}.{millis:03}"
    return f"{minutes}:{seconds:02}.{millis:03}"
