"""Formatting for the public pages: numbers and times as fans read them; no rules here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template

from championships.models import Race
from championships.numbers import plain
from championships.standings.data import Result
from championships.standings.payload import result_label as _result_label
from championships.standings.progress import Row, row_label
from championships.tablechoice import class_label as _class_label

register = template.Library()


@register.filter
def points(value: Decimal | int | None) -> str:
    """25 for 25.00, 12.5 for 12.50; an en dash for none."""
    if value is None:
        return "–"
    return plain(Decimal(value))


@register.filter
def laptime(value: dt.timedelta | None) -> str:
    """A lap or race time: 1:58.452, 30:01.632 or 1:02:03.456."""
    if value is None:
        return ""
    millis = round(value / dt.timedelta(milliseconds=1))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    return f"{minutes}:{seconds:02d}.{millis:03d}"


@register.filter
def gap(value: dt.timedelta) -> str:
    """The time behind the winner: +1.346, or +1:02.500 beyond a minute."""
    millis = round(value / dt.timedelta(milliseconds=1))
    if millis < 60_000:
        return f"+{millis // 1000}.{millis % 1000:03d}"
    return f"+{laptime(value)}"


@register.filter
def row_name(row: Row) -> str:
    return row_label(row)


@register.filter
def result_label(result: Result | None) -> str:
    """P3 for third after penalties, DNF, DSQ, …; nothing for no result."""
    return _result_label(result) or ""


@register.filter
def lookup(mapping: Mapping[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def class_label(code: str) -> str:
    return _class_label(code)


@register.inclusion_tag("championships/race_start.html")
def race_start(race: Race) -> dict[str, Any]:
    """A race's start at the circuit, the zone named, marked up for the visitor's own time."""
    circuit = race.meeting.circuit
    return {
        "race": race,
        "local": race.starts_at.astimezone(circuit.zone),
        "zone": circuit.timezone,
    }
